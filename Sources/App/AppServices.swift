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
    let loginThrottle: LoginThrottle
    /// A real hash of a random password, checked when a login names no account, so that the
    /// answer takes as long either way and does not tell which accounts exist.
    let unknownUserHash: String

    public init(
        configuration: AppConfiguration, database: AppDatabase, pages: PageRenderer,
        passwords: PasswordHasher = PasswordHasher()
    ) {
        self.configuration = configuration
        self.database = database
        self.pages = pages
        self.passwords = passwords
        let blobs = FileBlobStore(root: URL(fileURLWithPath: configuration.uploadsPath))
        self.blobs = blobs
        importer = PayCodeImporter(database: database, blobs: blobs, limits: configuration.upload)
        loginThrottle = LoginThrottle()
        unknownUserHash = Bcrypt.hash(Nanoid.make(), cost: passwords.cost)
    }
}
