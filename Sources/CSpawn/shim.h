// Process-starting calls that Swift's Glibc module hides: glibc declares pipe2 and
// posix_spawn_file_actions_addchdir_np only under _GNU_SOURCE, which the module is built without.
#ifndef SWIFTTUNE_CSPAWN_SHIM_H
#define SWIFTTUNE_CSPAWN_SHIM_H
#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

#if defined(__linux__)
extern int pipe2(int fds[2], int flags);
extern int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *actions, const char *path);
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);
#endif

/// Opens a pipe whose ends programs started later do not inherit (close-on-exec). On Linux both
/// ends are close-on-exec from the start; elsewhere they are set so right after, which callers
/// make safe by starting programs one at a time.
static inline int swifttune_cloexec_pipe(int fds[2]) {
#if defined(__linux__)
    return pipe2(fds, O_CLOEXEC);
#else
    if (pipe(fds) != 0) return -1;
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    return 0;
#endif
}

/// Makes a program started with `actions` and `flags` keep only its standard input, output and
/// error: every other descriptor this process has open (close-on-exec or not, ours or inherited)
/// is closed in it. Add it after the actions that set up descriptors 0 to 2; returns the
/// posix_spawn flags to add.
static inline short swifttune_spawn_close_others(posix_spawn_file_actions_t *actions) {
#if defined(__APPLE__)
    for (int fd = 0; fd <= 2; fd++) posix_spawn_file_actions_addinherit_np(actions, fd);
    return POSIX_SPAWN_CLOEXEC_DEFAULT;
#else
    posix_spawn_file_actions_addclosefrom_np(actions, 3);
    return 0;
#endif
}

/// Makes a program started with `actions` begin in the folder `path`.
static inline int swifttune_spawn_chdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}
#endif
