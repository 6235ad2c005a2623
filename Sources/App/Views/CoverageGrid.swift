import StoreCore

/// For every price of enabled goods and every enabled channel, which amounts from the price down
/// by `discount.max` have enabled codes of each type (a generic code covers every amount but the
/// list price); empty cells are the images the seller still has to upload.
struct CoverageGrid {
    struct Cell {
        let count: Int
        /// Generic codes serve this amount.
        let generic: Bool
        let gap: Bool

        init(count: Int, generic: Int) {
            self.count = count
            self.generic = generic > 0
            gap = count == 0 && generic == 0
        }
    }

    struct Row {
        let amount: String
        let wechat: Cell
        let alipay: Cell
    }

    struct Table {
        let price: String
        let channel: String
        let goodsNames: String
        let rows: [Row]
        let gaps: Int
    }

    let tables: [Table]
    let empty: Bool

    /// Cells without a code, over every table.
    var gapCount: Int { tables.reduce(0) { $0 + $1.gaps } }

    static func make(services: AppServices, goods: [Goods]) async throws -> CoverageGrid {
        let byPrice = Dictionary(grouping: goods, by: \.priceFen)
        let channels = try await services.database.channels().filter(\.enabled)
        var tables: [Table] = []
        for fen in byPrice.keys.sorted(by: >) {
            for channel in channels {
                let rows = try await services.database.coverage(
                    price: Money(fen: fen), maxDiscount: services.orderRules.current.discountMax, channelId: channel.id
                ).map { row in
                    Row(
                        amount: row.amount.description,
                        wechat: Cell(count: row.wechat, generic: row.genericWechat),
                        alipay: Cell(count: row.alipay, generic: row.genericAlipay))
                }
                let gaps = rows.reduce(0) { $0 + ($1.wechat.gap ? 1 : 0) + ($1.alipay.gap ? 1 : 0) }
                let names = byPrice[fen, default: []].map(\.name).sorted().joined(separator: ", ")
                tables.append(
                    Table(
                        price: Money(fen: fen).description, channel: "#\(channel.id ?? 0) \(channel.name)",
                        goodsNames: names, rows: rows, gaps: gaps))
            }
        }
        return CoverageGrid(tables: tables, empty: tables.isEmpty)
    }
}
