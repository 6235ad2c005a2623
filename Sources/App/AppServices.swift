public import Foundation
import HummingbirdBcrypt
public import StoreCore

/// Everything the routes depend on, made once at start; tests make their own.
public struct AppServices: Sendable {
    public let configuration: AppConfiguration
    public let database: AppDatabase
    public let pages: PageRenderer
    public let blobs: any BlobStore
    public let passwords: PasswordHasher
    let importer: PayCodeImporter
    let allocator: SlotAllocator
    let matcher: PaymentMatcher
    let watch = OrderWatch()
    let listenerSecret: ListenerSecret
    let loginThrottle = FailureThrottle()
    /// Bad listener signatures per address: a captured URL cannot be used to guess the secret.
    let signatureThrottle = FailureThrottle(maxFailures: 20, window: 10 * 60)
    /// A real hash of a random password, checked when a login names no account, so that the
    /// answer takes as long either way and does not tell which accounts exist.
    let unknownUserHash: String

    /// `listenerSecret` is the one in force: configured, or kept in the database.
    public init(
        configuration: AppConfiguration, database: AppDatabase, pages: PageRenderer, listenerSecret: String,
        passwords: PasswordHasher = PasswordHasher()
    ) {
        self.configuration = configuration
        self.database = database
        self.pages = pages
        self.passwords = passwords
        let blobs = FileBlobStore(root: URL(fileURLWithPath: configuration.uploadsPath))
        self.blobs = blobs
        importer = PayCodeImporter(database: database, blobs: blobs, limits: configuration.upload)
        allocator = SlotAllocator(database: database, policy: configuration.purchasePolicy)
        matcher = PaymentMatcher(database: database)
        self.listenerSecret = ListenerSecret(listenerSecret, isConfigured: configuration.listenerSecret != nil)
        unknownUserHash = Bcrypt.hash(Nanoid.make(), cost: passwords.cost)
    }
}
