import Foundation
import SystemPackage

extension FileSink {
    /// Creates an object's folder (`mkdir -p`), making sure it lies inside the sink: the deepest folder that
    /// exists is resolved before any is created, so a symlink planted in the sink cannot make us create folders
    /// elsewhere, and the folder is resolved again once made.
    func makeFoldersInside(_ folder: String) throws {
        guard isInsideRoot(deepestExisting(folder), orRoot: true) else { throw Self.outsideBucket }
        try makeFolders(folder)
        guard isInsideRoot(folder) else { throw Self.outsideBucket }
    }

    /// `mkdir -p` with `mkdir(2)`, so that a full disk reads as `diskFull` (and no Foundation call per folder).
    func makeFolders(_ path: String) throws {
        try SinkError.naming("could not create a folder") { () throws -> Void in
            do throws(Errno) {
                try FileCalls.makeFolder(path)
            } catch Errno.fileExists {
                return
            } catch Errno.noSuchFileOrDirectory {
                let parent = (path as NSString).deletingLastPathComponent
                guard parent != path, !parent.isEmpty else { throw Errno.noSuchFileOrDirectory }
                try makeFolders(parent)
                do throws(Errno) { try FileCalls.makeFolder(path) } catch Errno.fileExists {}
            }
        }
    }
}

/// The folders of one batch of objects, each made and checked to lie inside the sink once per batch.
///
/// An export writes hundreds of new folders per batch (one per conversation, under a few hour folders).
/// Resolving each one's real path costs a system call per path component; instead, a folder whose parent is
/// already known to be a real folder inside the sink is made with one `mkdir`: a folder made there lies inside
/// too, and one that exists already is accepted when `lstat` shows a real folder, not a link. Anything else
/// (a link, a first folder of the batch) takes `makeFoldersInside`, which resolves it.
struct SinkFolders {
    let sink: FileSink
    /// Real folders, not links, known in this batch to lie inside the sink.
    private var known: Set<String>

    init(sink: FileSink) {
        self.sink = sink
        known = [sink.root]
    }

    mutating func make(_ folder: String) throws {
        if known.contains(folder) { return }
        let parent = FileSink.folder(of: folder)
        if parent.count >= sink.root.count, parent != folder {
            try make(parent)
        }
        if known.contains(parent) {
            do throws(Errno) {
                try FileCalls.makeFolder(folder)
                known.insert(folder)
                return
            } catch Errno.fileExists {
                if FileCalls.isRealFolder(folder) {
                    known.insert(folder)
                    return
                }
            } catch {
                throw SinkError.failed("could not create a folder", error)
            }
        }
        try sink.makeFoldersInside(folder)
        // Resolved and inside, but possibly through a link: not `known`, so that its subfolders are resolved too.
    }
}
