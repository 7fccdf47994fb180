#pragma once

// Internal to core/history: owners for libgit2 handles and small helpers. Never included by
// headers outside core/history, so libgit2 stays a private dependency of core.

#include <QString>

#include <git2.h>

#include <memory>

namespace sg::git {

template <typename T, void (*Free)(T*)> struct Deleter
{
    void operator()(T* p) const noexcept { Free(p); }
};

// One owner per handle: the handle is freed exactly once, on every path.
template <typename T, void (*Free)(T*)> using Handle = std::unique_ptr<T, Deleter<T, Free>>;

using Repository = Handle<git_repository, git_repository_free>;
using Commit = Handle<git_commit, git_commit_free>;
using Tree = Handle<git_tree, git_tree_free>;
using Blob = Handle<git_blob, git_blob_free>;
using Object = Handle<git_object, git_object_free>;
using Reference = Handle<git_reference, git_reference_free>;
using ReferenceIterator = Handle<git_reference_iterator, git_reference_iterator_free>;
using Index = Handle<git_index, git_index_free>;
using Signature = Handle<git_signature, git_signature_free>;
using Diff = Handle<git_diff, git_diff_free>;
using Patch = Handle<git_patch, git_patch_free>;
using Odb = Handle<git_odb, git_odb_free>;

// A git_buf that is disposed of at scope exit.
struct Buf
{
    git_buf buf = GIT_BUF_INIT;
    Buf() = default;
    Buf(const Buf&) = delete;
    Buf& operator=(const Buf&) = delete;
    ~Buf() { git_buf_dispose(&buf); }
};

// libgit2 initialised once per process, with fsync of the git folder on (DESIGN.md 3).
void ensureLibrary();

inline QString toString(const git_oid& oid)
{
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, &oid);
    return QString::fromLatin1(hex);
}

} // namespace sg::git
