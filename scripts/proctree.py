"""The process tree under `menort local`, for the scripts that start it (local-e2e.py,
bench-local.py): what is still running below it, and making the caller a child subreaper
so workers that outlive a killed menort are re-parented to the caller, not to init, and
can be found and stopped. Linux only (/proc, prctl).
"""
import collections
import ctypes
import os
import sys

PR_SET_CHILD_SUBREAPER = 36


def become_subreaper():
    """Orphaned descendants (workers whose menort died) become this process's children."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def process_table():
    """pid → (ppid, state) of every process, from /proc."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                stat = f.read()
        except OSError:
            continue
        # pid (comm) state ppid …; comm may hold spaces and parentheses.
        fields = stat[stat.rindex(")") + 2:].split()
        table[int(entry)] = (int(fields[1]), fields[0])
    return table


def descendants(pid):
    """Live (not zombie) descendants of `pid`."""
    table = process_table()
    children = collections.defaultdict(list)
    for child, (parent, _) in table.items():
        children[parent].append(child)
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            stack.append(child)
            if table[child][1] != "Z":
                found.append(child)
    return found


def reap():
    """Collects exited children, orphans re-parented to this process among them."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def alive(pid):
    """Whether `pid` runs (exists and is not a zombie)."""
    state = process_table().get(pid)
    return state is not None and state[1] != "Z"
