import AsyncHTTPClient
import Foundation
import NIOCore
import StoreCore

/// Delivers merchant notifications (SPEC 11.4): a GET of the signed URL with a 10 s deadline,
/// redirects not followed (a redirect could lead past the address check), the host checked
/// again before every attempt. Delivered only when the answer is 2xx and its body is the
/// protocol's success word: exactly `success` for V免签 (blanks around it allowed), containing
/// `success` for 易支付.
struct MerchantNotifier: Sendable {
    let client: HTTPClient
    let policy: NotifyAddressPolicy
    var timeout: TimeAmount = .seconds(10)

    /// One attempt's result, as the outbox keeps it.
    struct Outcome: Sendable, Equatable {
        var delivered: Bool
        var status: Int?
        var detail: String
    }

    /// A client that follows no redirects, for the worker's lifetime.
    static func makeClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(10))
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func deliver(_ url: String, gateway: GatewayProtocol) async -> Outcome {
        do {
            try await policy.checkBeforeDelivery(url)
        } catch {
            return Outcome(delivered: false, status: nil, detail: GatewayMessages.notifyRefused(error, field: "url"))
        }
        do {
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "User-Agent", value: "QRStore")
            let response = try await client.execute(request, timeout: timeout)
            var body = ByteBuffer()
            for try await chunk in response.body {
                var chunk = chunk
                body.writeBuffer(&chunk)
                // The success word is at the start of any real answer; the rest is not needed.
                if body.readableBytes >= 16 * 1024 { break }
            }
            let text = String(buffer: body)
            let status = Int(response.status.code)
            let ok = (200..<300).contains(status) && Self.isSuccess(text, gateway: gateway)
            return Outcome(delivered: ok, status: status, detail: text)
        } catch {
            return Outcome(delivered: false, status: nil, detail: "\(error)")
        }
    }

    /// Whether `body` is `gateway`'s word for "received".
    static func isSuccess(_ body: String, gateway: GatewayProtocol) -> Bool {
        switch gateway {
        case .vmq: body.trimmingCharacters(in: .whitespacesAndNewlines.union(["\u{FEFF}"])) == "success"
        case .epay: body.contains("success") || body.contains("SUCCESS") || body.contains("Success")
        }
    }
}
