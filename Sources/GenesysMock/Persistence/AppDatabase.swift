import GRDB

/// The one SQLite database: every piece of state the mock keeps (CONTRACT: state in SQLite, survives restarts).
package struct AppDatabase: Sendable {
    package let writer: any DatabaseWriter

    package init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        try Self.migrator.migrate(writer)
    }

    /// A WAL database file; the folder must exist.
    package static func open(path: String) throws -> AppDatabase {
        var config = Configuration()
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return try AppDatabase(DatabasePool(path: path, configuration: config))
    }

    package static func inMemory() throws -> AppDatabase {
        try AppDatabase(DatabaseQueue())
    }
}
