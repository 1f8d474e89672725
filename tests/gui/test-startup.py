#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""vmdesk starts under a real X server and shows its empty manager window.

Drives the real application through AT-SPI: finds the window, the empty
state and the main menu by their accessible names, opens the menu, and
quits through the app.quit action's menu item.
"""
import os
import signal
import subprocess
import sys
import time

import pyatspi

SKIP = 77


def find(node, role, name, depth=0):
    if node is None or depth > 40:
        return None
    try:
        if node.getRole() == role and (name is None or node.name == name):
            return node
        for i in range(node.childCount):
            hit = find(node.getChildAtIndex(i), role, name, depth + 1)
            if hit is not None:
                return hit
    except Exception:
        return None
    return None


def wait_for(fn, timeout=60.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = fn()
        if value is not None:
            return value
        time.sleep(0.1)
    return None


def app_node(pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        try:
            if app is not None and app.get_process_id() == pid:
                return app
        except Exception:
            continue
    return None


def cpu_seconds(pid):
    """User + system CPU time of @pid, in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def window_has_icon(pid):
    """Whether a top-level X window of @pid carries _NET_WM_ICON."""
    from Xlib import display
    d = display.Display()
    try:
        pid_atom = d.intern_atom("_NET_WM_PID")
        icon_atom = d.intern_atom("_NET_WM_ICON")
        for w in d.screen().root.query_tree().children:
            prop = w.get_full_property(pid_atom, 0)
            if prop is None or not len(prop.value) or prop.value[0] != pid:
                continue
            icon = w.get_full_property(icon_atom, 0)
            if icon is not None and len(icon.value) > 2:
                return True
        return False
    finally:
        d.close()


def main():
    if not os.environ.get("DISPLAY"):
        print("no X display: run under xvfb-run")
        return SKIP
    binary = sys.argv[1]
    proc = subprocess.Popen([binary])
    try:
        app = wait_for(lambda: app_node(proc.pid))
        assert app is not None, "vmdesk never appeared on the accessibility bus"

        frame = wait_for(lambda: find(app, pyatspi.ROLE_FRAME, "Virtual Machines"))
        assert frame is not None, "no window titled 'Virtual Machines'"

        # Left alone, the app sleeps: a main loop that spins (an idle
        # source that never ends) shows as a whole CPU here.
        time.sleep(1)
        before = cpu_seconds(proc.pid)
        time.sleep(3)
        used = cpu_seconds(proc.pid) - before
        assert used < 0.6, "the idle app used %.2f s of CPU in 3 s" % used

        # The icon is set after the first map; the window has it by now.
        assert window_has_icon(proc.pid), "the window has no icon (_NET_WM_ICON)"

        empty = find(frame, pyatspi.ROLE_LABEL, "No virtual machines yet")
        assert empty is not None, "the empty state is not shown"
        assert empty.getState().contains(pyatspi.STATE_SHOWING), "the empty state is hidden"

        menu = find(frame, pyatspi.ROLE_TOGGLE_BUTTON, "Main Menu")
        assert menu is not None, "the main menu button has no accessible name"
        menu.queryAction().doAction(0)

        quit_item = wait_for(lambda: find(app, pyatspi.ROLE_PUSH_BUTTON, "Quit")
                             or find(app, pyatspi.ROLE_MENU_ITEM, "Quit"))
        assert quit_item is not None, "the main menu has no Quit item"
        quit_item.queryAction().doAction(0)

        proc.wait(timeout=10)
        assert proc.returncode == 0, "vmdesk exited with %d" % proc.returncode
        print("ok: window with its icon, idle (%.2f s of CPU in 3 s), empty state and menu "
              "found; Quit ended the app" % used)
        return 0
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()


if __name__ == "__main__":
    sys.exit(main())
