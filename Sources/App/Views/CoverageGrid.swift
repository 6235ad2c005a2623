import StoreCore

/// For every price of enabled goods, which amounts from the price down by `discount.max` have
/// enabled codes of each type; empty cells are the images the seller still has to upload.
struct CoverageGrid {
    struct Cell {
        let count: Int
        let gap: Bool
    }

    struct Row {
        let amount: String
        let wechat: Cell
        let alipay: Cell
    }

    struct Table {
        let price: String
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
        var tables: [Table] = []
        for fen in byPrice.keys.sorted(by: >) {
            let rows = try await services.database.coverage(
                price: Money(fen: fen), maxDiscount: services.orderRules.current.discountMax
            ).map { row in
                Row(
                    amount: row.amount.description, wechat: Cell(count: row.wechat, gap: row.wechat == 0),
                    alipay: Cell(count: row.alipay, gap: row.alipay == 0))
            }
            let gaps = rows.reduce(0) { $0 + ($1.wechat.gap ? 1 : 0) + ($1.alipay.gap ? 1 : 0) }
            let names = byPrice[fen, default: []].map(\.name).sorted().joined(separator: ", ")
            tables.append(Table(price: Money(fen: fen).description, goodsNames: names, rows: rows, gaps: gaps))
        }
        return CoverageGrid(tables: tables, empty: tables.isEmpty)
    }
}
