import AsyncHTTPClient
import Foundation
import NIOCore
import StoreCore

/// Delivers merchant notifications (SPEC 11.4): a GET of the signed URL with a 10 s deadline,
/// redirects not followed (a redirect could lead past the address check), the host checked
/// again before every attempt and the connection made to the address that passed. Delivered only when the answer is 2xx and its body is the
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

    /// No redirects followed (one could lead past the address check), no decompression.
    static var configuration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(10))
        configuration.decompression = .disabled
        return configuration
    }

    /// The client for the worker's lifetime, for addresses that need no pinning.
    static func makeClient() -> HTTPClient {
        HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func deliver(_ url: String, gateway: GatewayProtocol) async -> Outcome {
        let destination: NotifyAddressPolicy.Destination
        do {
            destination = try await policy.checkBeforeDelivery(url)
        } catch {
            return Outcome(delivered: false, status: nil, detail: GatewayMessages.notifyRefused(error, field: "url"))
        }
        return await send(url, to: destination, gateway: gateway)
    }

    /// One GET of `url`, connecting to `destination`'s vetted address when it has one.
    func send(_ url: String, to destination: NotifyAddressPolicy.Destination, gateway: GatewayProtocol) async -> Outcome
    {
        // A host name connects to the address just vetted, not to what a second lookup says
        // (DNS rebinding); TLS still checks the certificate for the name.
        guard let pinned = destination.address else { return await attempt(url, gateway: gateway, client: client) }
        var configuration = Self.configuration
        configuration.dnsOverride = [destination.host: pinned, destination.writtenHost: pinned]
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let outcome = await attempt(url, gateway: gateway, client: client)
        try? await client.shutdown()
        return outcome
    }

    private func attempt(_ url: String, gateway: GatewayProtocol, client: HTTPClient) async -> Outcome {
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
