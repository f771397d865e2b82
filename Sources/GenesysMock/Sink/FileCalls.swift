import Foundation
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// `syncfs(2)`: Glibc declares it only under `_GNU_SOURCE`, which the Swift module map does not set.
@_silgen_name("syncfs")
private func c_syncfs(_ fd: Int32) -> Int32

/// Every system call the sink makes on a file, in one place. Opening, reading and writing are swift-system's
/// `FileDescriptor` (which retries EINTR and, with `writeAll`, short writes); what it lacks (`fsync`, `syncfs`,
/// `fstat`, `rename`, `mkdir`, `unlink`, `lstat`) is a thin call here that throws `Errno` like the rest. All of it
/// blocks: call it from a blocking-IO thread or an offline command, never from async code directly.
///
/// `FileDescriptor` is not `Sendable`: a descriptor that crosses an `await` travels as its `rawValue`.
extension FileDescriptor {
    /// A new file for writing that must not exist yet (a temporary file of the sink), `rw-r--r--`.
    static func createNew(_ path: String) throws(Errno) -> FileDescriptor {
        try open(path, .writeOnly, options: [.create, .exclusiveCreate, .closeOnExec], permissions: FilePermissions(rawValue: 0o644))
    }

    /// A file for writing, emptied if it exists, `rw-------` when made (a download of `verify`).
    static func createOrTruncate(_ path: String) throws(Errno) -> FileDescriptor {
        try open(path, .writeOnly, options: [.create, .truncate, .closeOnExec], permissions: FilePermissions(rawValue: 0o600))
    }

    /// A folder, opened only to be synced.
    static func openFolder(_ path: String) throws(Errno) -> FileDescriptor {
        try open(path, .readOnly, options: [.directory, .closeOnExec])
    }

    /// A file opened read-only, never through a link unless `followingLinks`.
    static func openForReading(_ path: String, followingLinks: Bool = false) throws(Errno) -> FileDescriptor {
        try open(path, .readOnly, options: followingLinks ? [.closeOnExec] : [.closeOnExec, .noFollow])
    }

    /// A regular file opened read-only, with its size, or nil (anything but a regular file, or a link when
    /// `followingLinks` is false). The descriptor is the caller's to close.
    static func openRegularFile(_ path: String, followingLinks: Bool = false) -> (fd: FileDescriptor, size: Int)? {
        guard let fd = try? openForReading(path, followingLinks: followingLinks) else { return nil }
        var info = Glibc.stat()
        guard fstat(fd.rawValue, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            try? fd.close()
            return nil
        }
        return (fd, Int(info.st_size))
    }

    private static func open(_ path: String, _ mode: AccessMode, options: OpenOptions,
                             permissions: FilePermissions? = nil) throws(Errno) -> FileDescriptor {
        do {
            return try path.withCString { try FileDescriptor.open($0, mode, options: options, permissions: permissions) }
        } catch {
            throw error as? Errno ?? Errno.ioError
        }
    }

    /// Reads from `offset` until `buffer` is full or the file ends; the number of bytes read.
    func read(fromAbsoluteOffset offset: Int, filling buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var done = 0
        while done < buffer.count {
            let n = try read(fromAbsoluteOffset: Int64(offset + done), into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]))
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Writes every byte of `data` (swift-system retries short writes and EINTR).
    func write(everyByteOf data: Data) throws {
        try data.withUnsafeBytes { try write(everyByteOf: $0) }
    }

    /// Writes every byte of `buffer`, straight from its memory (never copied into an array first).
    func write(everyByteOf buffer: UnsafeRawBufferPointer) throws {
        _ = try writeAll(buffer.assumingMemoryBound(to: UInt8.self))
    }

    /// `fsync(2)`: the file's bytes (or a folder's entries) are on the disk when this returns.
    func sync() throws(Errno) {
        if fsync(rawValue) != 0 { throw Errno(rawValue: errno) }
    }

    /// `syncfs(2)`: everything written to the filesystem holding this file is on the disk when this returns.
    func syncFilesystem() throws(Errno) {
        if c_syncfs(rawValue) != 0 { throw Errno(rawValue: errno) }
    }
}

/// The path calls the sink makes: each one system call, throwing `Errno`.
enum FileCalls {
    static func rename(_ from: String, to: String) throws(Errno) {
        if Glibc.rename(from, to) != 0 { throw Errno(rawValue: errno) }
    }

    /// `mkdir(2)` with `rwxr-xr-x`: throws `.fileExists` when something is there already.
    static func makeFolder(_ path: String) throws(Errno) {
        if mkdir(path, 0o755) != 0 { throw Errno(rawValue: errno) }
    }

    /// Removes a file, if it is there (a failure is of no interest to anyone: the file is gone or never was).
    static func remove(_ path: String) {
        unlink(path)
    }

    /// True when `path` itself (not followed) is a folder.
    static func isRealFolder(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Syncs a folder's entries (a rename into it, made durable).
    static func syncFolder(_ path: String) throws(Errno) {
        let fd = try FileDescriptor.openFolder(path)
        defer { try? fd.close() }
        try fd.sync()
    }
}
