extension AppDatabase {
    /// 32 random characters from the nanoid alphabet (192 bits): a new listener secret.
    static func newListenerSecret() -> String { Nanoid.make() + Nanoid.make().prefix(11) }
}
