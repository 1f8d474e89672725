#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The manager window against the real embedded engine and real QEMU (TCG).

Usage: test-manager.py VMDESK VMDESK_CLI GUEST_BUILDER GUEST_DIR [SHOT_DIR]

Defines test guests with vmdesk-cli in a private data folder, starts the real
app there and drives it through AT-SPI: the list shows the VMs; Run starts
the selected one; the search entry filters; two selected VMs start together; the View menu
shows every resource-use column (a screenshot with their sparklines) and
hides one again; a tag set through the Tags dialog shows as a section with
Group by Tag; Force Off, confirmed in its dialog, stops one; a VM whose
disk is missing reports the failure in the info bar; Shut Down from the
toolbar's menu powers a guest off through ACPI; Rename, Clone (a mode per
disk) and Delete (with its
disk images) through their dialogs; a second `vmdesk --show-domain-console`
opens that VM's window in the running instance. Every QEMU is killed by its
PID at the end, also on failure.
"""
import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import pyatspi

SKIP = 77
STATE_TIMEOUT = 15.0


def find_all(node, role, pred, out, depth=0):
    if node is None or depth > 40:
        return out
    try:
        if node.getRole() == role and pred(node):
            out.append(node)
        for i in range(node.childCount):
            find_all(node.getChildAtIndex(i), role, pred, out, depth + 1)
    except Exception:
        pass
    return out


def find(node, role, name):
    hits = find_all(node, role, lambda n: name is None or n.name == name, [])
    return hits[0] if hits else None


def wait_for(fn, timeout=15.0, what="a condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = fn()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out waiting for " + what)


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


class Manager:
    """The manager window as AT-SPI shows it."""

    def __init__(self, app, frame):
        self.app = app
        self.frame = frame
        self.table = wait_for(lambda: find(frame, pyatspi.ROLE_TREE_TABLE,
                                           "Virtual machine list"),
                              what="the virtual machine list")

    def cells(self):
        """Name cells: text 'NAME\\nSTATE' → the cell."""
        out = {}
        for cell in find_all(self.table, pyatspi.ROLE_TABLE_CELL,
                             lambda n: "\n" in (n.name or ""), []):
            name, state = cell.name.split("\n", 1)
            if name == "QEMU/KVM on this computer":
                continue  # the connection row: KVM or TCG below its name
            out[name] = (state, cell)
        return out

    def states(self):
        return {name: v[0] for name, v in self.cells().items()}

    def wait_state(self, name, state, timeout=STATE_TIMEOUT):
        wait_for(lambda: self.states().get(name) == state, timeout,
                 "“%s” to be %s (it is %s)" % (name, state, self.states().get(name)))

    def select(self, *names):
        table = self.table.queryTable()
        sel = self.table.querySelection()
        sel.clearSelection()
        cells = self.cells()
        for name in names:
            assert name in cells, "“%s” is not in the list: %s" % (name, list(cells))
            index = cells[name][1].getIndexInParent()
            row = table.getRowAtIndex(index)
            assert table.addRowSelection(row), "could not select “%s”" % name

    def button(self, name):
        hit = find(self.frame, pyatspi.ROLE_PUSH_BUTTON, name) or \
            find(self.frame, pyatspi.ROLE_TOGGLE_BUTTON, name)
        assert hit is not None, "no button named “%s”" % name
        return hit

    def click(self, name):
        button = self.button(name)
        wait_for(lambda: button.getState().contains(pyatspi.STATE_SENSITIVE), 5,
                 "“%s” to be sensitive" % name)
        button.queryAction().doAction(0)


MENU_ROLES = (pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_MENU_ITEM, pyatspi.ROLE_CHECK_BOX,
              pyatspi.ROLE_CHECK_MENU_ITEM, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_MENU)


def find_showing(node, name, roles=MENU_ROLES, exclude_description=None):
    """A showing menu entry (popover model buttons or menu items) by name."""
    for role in roles:
        for hit in find_all(node, role, lambda n: n.name == name, []):
            try:
                if not hit.getState().contains(pyatspi.STATE_SHOWING):
                    continue
                if exclude_description and hit.description == exclude_description:
                    continue
            except Exception:
                continue
            return hit
    return None


def column_titles(m):
    table = m.table.queryTable()
    return [table.getColumnDescription(i) for i in range(table.nColumns)]


def toggle_view(m, label):
    """Main Menu → View → LABEL."""
    m.click("Main Menu")
    view = wait_for(lambda: find_showing(m.app, "View"), 5, "the View submenu")
    view.queryAction().doAction(0)
    item = wait_for(lambda: find_showing(m.app, label), 5, "“%s” in the View menu" % label)
    item.queryAction().doAction(0)
    time.sleep(0.3)
    # A check item may leave the popover open: close it with its button.
    if find_showing(m.app, label) is not None:
        m.button("Main Menu").queryAction().doAction(0)
        time.sleep(0.3)


def activate_win_action(app_id, name):
    """A window action over D-Bus (org.gtk.Actions), for what only a
    context menu or a key offers."""
    subprocess.run(["gdbus", "call", "--session", "--dest", app_id,
                    "--object-path", "/" + app_id.replace(".", "/") + "/window/1",
                    "--method", "org.gtk.Actions.Activate", name, "[]", "{}"],
                   check=True, stdout=subprocess.DEVNULL)


def screenshot(shot_dir, name):
    if not shot_dir or not shutil.which("import"):
        return
    path = os.path.join(shot_dir, name)
    subprocess.run(["import", "-window", "root", path], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print("# screenshot: " + path)


def guest_xml(name, guest_dir, disk, title=None, description=None, shared=None):
    meta = ""
    if title:
        meta += "<title>%s</title>" % title
    if description:
        meta += "<description>%s</description>" % description
    return """<domain type='qemu'>
  <name>%s</name>%s
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.img</initrd>
    <cmdline>console=ttyS0 console=tty0</cmdline></os>
  <features><acpi/></features>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
      <source file='%s'/><target dev='vda' bus='virtio'/></disk>%s
    <serial type='pty'><target port='0'/></serial>
    <graphics type='vnc'/>
    <video><model type='vga'/></video>
  </devices>
</domain>
""" % (name, meta, guest_dir, guest_dir, disk,
       "" if shared is None else
       "\n    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
       "<source file='%s'/><target dev='vdb' bus='virtio'/></disk>" % shared)


def kill_qemus(run_dir):
    for pidfile in glob.glob(os.path.join(run_dir, "vmdesk", "*", "qemu.pid")):
        try:
            with open(pidfile) as f:
                pid = int(f.read().strip())
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError):
            pass


def main():
    if not os.environ.get("DISPLAY"):
        print("no X display: run under xvfb-run")
        return SKIP
    vmdesk, cli, builder, guest_dir = sys.argv[1:5]
    shot_dir = sys.argv[5] if len(sys.argv) > 5 else None
    if shutil.which("qemu-system-x86_64") is None:
        print("no qemu-system-x86_64")
        return SKIP

    subprocess.run([builder, guest_dir], check=True, stdout=subprocess.DEVNULL)
    guest_dir = os.path.abspath(guest_dir)

    # Short: QMP and VNC sockets live under the runtime folder.
    tmp = tempfile.mkdtemp(prefix="vmg-", dir="/tmp")
    data = os.path.join(tmp, "d")
    run = os.path.join(tmp, "r")
    os.makedirs(data, mode=0o700)
    os.makedirs(run, mode=0o700)
    env = dict(os.environ, XDG_DATA_HOME=data, XDG_RUNTIME_DIR=run,
               G_DEBUG="fatal-warnings")
    proc = None
    try:
        guests = [("vm-alpha", None, None), ("vm-beta", None, "the web server"),
                  ("vm-gamma", "Gamma Ray", None), ("vm-broken", None, None)]
        # vm-beta and vm-broken share an image (vm-broken never runs).
        shared = os.path.join(tmp, "shared.qcow2")
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", shared, "1M"], check=True)
        for name, title, description in guests:
            disk = os.path.join(tmp, name + ".qcow2")
            if name != "vm-broken":
                subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2",
                                "-b", os.path.join(guest_dir, "disk.qcow2"), disk], check=True)
            xml = os.path.join(tmp, name + ".xml")
            with open(xml, "w") as f:
                f.write(guest_xml(name, guest_dir, disk, title, description,
                                  shared if name in ("vm-beta", "vm-broken") else None))
            subprocess.run([cli, "define", xml], check=True, env=env,
                           stdout=subprocess.DEVNULL)

        proc = subprocess.Popen([vmdesk], env=env)
        app = wait_for(lambda: app_node(proc.pid), what="vmdesk on the accessibility bus")
        frame = wait_for(lambda: find(app, pyatspi.ROLE_FRAME, "Virtual Machines"),
                         what="the manager window")
        m = Manager(app, frame)

        # The list: the connection, then the VMs (a title replaces the name).
        wait_for(lambda: len(m.states()) == 4, what="four VMs in the list")
        states = m.states()
        print("# list:", states)
        assert states == {"vm-alpha": "Shut off", "vm-beta": "Shut off",
                          "Gamma Ray": "Shut off", "vm-broken": "Shut off"}, states
        assert find_all(m.table, pyatspi.ROLE_TABLE_CELL,
                        lambda n: n.name.startswith("QEMU/KVM on this computer"), []), \
            "the connection row is missing"
        print("ok 1 - the list shows the defined VMs under the connection")

        # The connection row says whether VMs run with KVM or TCG (the probe
        # runs once at startup, off the main loop).
        expect = "KVM" if os.environ.get("VMDESK_EXPECT_KVM") == "works" else "TCG"

        def accel_line():
            for n in find_all(m.table, pyatspi.ROLE_TABLE_CELL,
                              lambda n: n.name.startswith("QEMU/KVM on this computer\n"), []):
                line = n.name.split("\n", 1)[1]
                if not line.startswith("Checking"):
                    return line
            return None
        line = wait_for(accel_line, timeout=60, what="the KVM probe's result in the list")
        print("# connection:", line)
        if expect == "KVM":
            assert line == "KVM", line
        else:
            assert "TCG" in line, line
        print("ok 1b - the connection row says the VMs run with", expect)

        # Run starts the selected VM.
        m.select("vm-alpha")
        m.click("Run")
        m.wait_state("vm-alpha", "Running")
        print("ok 2 - Run starts the selected VM")

        # Search filters by name, description and state.
        m.click("Search")
        entry = wait_for(lambda: find(frame, pyatspi.ROLE_TEXT, "Search virtual machines"),
                         what="the search entry")
        entry.queryEditableText().setTextContents("web server")
        wait_for(lambda: list(m.states()) == ["vm-beta"], 5, "the search to leave vm-beta")
        entry.queryEditableText().setTextContents("running")
        wait_for(lambda: list(m.states()) == ["vm-alpha"], 5, "the search to leave vm-alpha")
        entry.queryEditableText().setTextContents("")
        wait_for(lambda: len(m.states()) == 4, 5, "the list to come back")
        print("ok 3 - search filters the list")

        # Two at once.
        m.select("vm-beta", "Gamma Ray")
        m.click("Run")
        m.wait_state("vm-beta", "Running")
        m.wait_state("Gamma Ray", "Running")
        print("ok 4 - Run starts two selected VMs")
        time.sleep(2.5)  # a CPU figure or two
        screenshot(shot_dir, "manager-running.png")

        # The View menu: every resource-use column on, then Guest CPU off.
        assert column_titles(m) == ["State", "Name", "Guest CPU"], column_titles(m)
        for label in ("Host CPU Usage", "Memory Usage", "Disk I/O", "Network I/O"):
            toggle_view(m, label)
        wait_for(lambda: column_titles(m) == ["State", "Name", "Guest CPU", "Host CPU",
                                              "Memory", "Disk I/O", "Network I/O"], 5,
                 "every column (%s)" % column_titles(m))
        time.sleep(8)  # a few samples for the sparklines
        screenshot(shot_dir, "manager-columns.png")
        toggle_view(m, "Guest CPU Usage")
        wait_for(lambda: "Guest CPU" not in column_titles(m), 5, "Guest CPU to hide")
        toggle_view(m, "Guest CPU Usage")
        wait_for(lambda: "Guest CPU" in column_titles(m), 5, "Guest CPU to come back")
        print("# columns:", column_titles(m))
        print("ok 5 - the View menu shows and hides the resource-use columns")

        # Preferences (from the window module, loaded now): unticking Disk I/O
        # hides that column of the list at once.
        subprocess.run(["gdbus", "call", "--session", "--dest", "org.vmdesk.Vmdesk",
                        "--object-path", "/org/vmdesk/Vmdesk",
                        "--method", "org.gtk.Actions.Activate", "preferences", "[]", "{}"],
                       check=True, stdout=subprocess.DEVNULL)
        prefs = wait_for(lambda: find(app, pyatspi.ROLE_DIALOG, "Preferences")
                         or find(app, pyatspi.ROLE_FRAME, "Preferences"), 20, "Preferences")
        disk = wait_for(lambda: find(prefs, pyatspi.ROLE_CHECK_BOX, "Disk I/O"), 5,
                        "the Disk I/O check box")
        assert disk.getState().contains(pyatspi.STATE_CHECKED), "Disk I/O is not ticked"
        disk.queryAction().doAction(0)
        wait_for(lambda: "Disk I/O" not in column_titles(m), 5, "Disk I/O to hide from the list")
        disk.queryAction().doAction(0)
        wait_for(lambda: "Disk I/O" in column_titles(m), 5, "Disk I/O to come back")
        prefs.queryComponent()
        close = find(prefs, pyatspi.ROLE_PUSH_BUTTON, "Close")
        if close is not None:
            close.queryAction().doAction(0)
        print("ok 5b - a column unticked in Preferences leaves the list at once")

        # Tags through their dialog; Group by Tag shows the sections.
        m.select("vm-alpha")
        activate_win_action("org.vmdesk.Vmdesk", "tags")
        dialog = wait_for(lambda: find(app, pyatspi.ROLE_DIALOG, "Tags of “vm-alpha”"),
                          what="the Tags dialog")
        entry = wait_for(lambda: find(dialog, pyatspi.ROLE_TEXT, None), what="the tags entry")
        entry.queryEditableText().setTextContents("web, lab")
        find(dialog, pyatspi.ROLE_PUSH_BUTTON, "Save").queryAction().doAction(0)
        toggle_view(m, "Group by Tag")

        def section_names():
            return sorted(c.name for c in find_all(m.table, pyatspi.ROLE_TABLE_CELL,
                                                   lambda n: n.name in ("web", "lab",
                                                                        "No tag"), []))
        wait_for(lambda: section_names() == ["No tag", "lab", "web"], 10,
                 "the tag sections (%s)" % section_names())
        rows = find_all(m.table, pyatspi.ROLE_TABLE_CELL,
                        lambda n: (n.name or "").startswith("vm-alpha\n"), [])
        assert len(rows) == 2, "vm-alpha should be under web and lab: %d rows" % len(rows)
        screenshot(shot_dir, "manager-tags.png")
        assert any("<vmdesk:tag>web</vmdesk:tag>" in open(x).read()
                   for x in glob.glob(os.path.join(data, "**", "*.xml"), recursive=True)), \
            "the tag is not in any saved definition"
        toggle_view(m, "Group by Tag")
        wait_for(lambda: section_names() == [], 10, "the sections to go")
        print("ok 6 - a tag set in the Tags dialog shows as a section when grouped by tag")

        # Force Off, confirmed in its dialog.
        m.select("vm-alpha")
        m.click("Shut Down Menu")
        item = wait_for(lambda: find(app, pyatspi.ROLE_PUSH_BUTTON, "Force Off")
                        or find(app, pyatspi.ROLE_MENU_ITEM, "Force Off"),
                        what="the Force Off item")
        item.queryAction().doAction(0)
        dialog = wait_for(lambda: find(app, pyatspi.ROLE_ALERT, None)
                          or find(app, pyatspi.ROLE_DIALOG, "Force “vm-alpha” off?"),
                          what="the confirmation dialog")
        screenshot(shot_dir, "manager-force-off.png")
        confirm = wait_for(lambda: find(dialog, pyatspi.ROLE_PUSH_BUTTON, "Force Off"),
                           what="the dialog's Force Off button")
        confirm.queryAction().doAction(0)
        m.wait_state("vm-alpha", "Shut off")
        print("ok 7 - Force Off, confirmed, stops the VM")

        # A missing disk: an error in the info bar, and the app lives on.
        m.select("vm-broken")
        m.click("Run")
        message = wait_for(lambda: find_all(frame, pyatspi.ROLE_LABEL,
                                            lambda n: n.name == "Message" and "could not be"
                                            in n.queryText().getText(0, -1), []),
                           what="an error in the info bar")[0]
        print("# info bar:", message.queryText().getText(0, -1))
        assert "vm-broken" in message.queryText().getText(0, -1)
        assert proc.poll() is None, "vmdesk died"
        assert m.states().get("vm-broken") in ("Shut off", "Crashed"), m.states()
        screenshot(shot_dir, "manager-error.png")
        print("ok 8 - a failed start shows an error in the info bar")

        # Shut Down from the toolbar's menu: ACPI, the guest powers off.
        m.select("vm-beta")
        toolbar_tip = m.button("Shut Down").description
        deadline = time.monotonic() + 120
        while m.states().get("vm-beta") != "Shut off":
            assert time.monotonic() < deadline, "vm-beta did not power off"
            m.click("Shut Down Menu")
            item = wait_for(lambda: find_showing(app, "Shut Down",
                                                 exclude_description=toolbar_tip),
                            what="the Shut Down item")
            item.queryAction().doAction(0)
            # The guest may still be booting: press the button again later.
            try:
                m.wait_state("vm-beta", "Shut off", 30)
            except AssertionError:
                pass
        print("ok 9 - Shut Down from the toolbar menu powers the guest off")

        # Rename through its dialog.
        m.select("vm-beta")
        activate_win_action("org.vmdesk.Vmdesk", "rename")
        dialog = wait_for(lambda: find(app, pyatspi.ROLE_DIALOG, "Rename “vm-beta”"),
                          what="the Rename dialog")
        entry = wait_for(lambda: find(dialog, pyatspi.ROLE_TEXT, None), what="the name entry")
        entry.queryEditableText().setTextContents("vm-delta")
        button = wait_for(lambda: find(dialog, pyatspi.ROLE_PUSH_BUTTON, "Rename"),
                          what="the Rename button")
        wait_for(lambda: button.getState().contains(pyatspi.STATE_SENSITIVE), 5,
                 "Rename to be sensitive")
        button.queryAction().doAction(0)
        wait_for(lambda: "vm-delta" in m.states() and "vm-beta" not in m.states(), 10,
                 "vm-beta to become vm-delta (%s)" % list(m.states()))
        print("ok 10 - Rename renames the VM")

        # Clone: vda as a qcow2 overlay on the original, vdb fully copied.
        m.select("vm-delta")
        activate_win_action("org.vmdesk.Vmdesk", "clone")
        dialog = wait_for(lambda: find(app, pyatspi.ROLE_DIALOG, "Clone “vm-delta”"),
                          what="the Clone dialog")
        vda = wait_for(lambda: find(dialog, pyatspi.ROLE_COMBO_BOX, "Clone vda as"),
                       what="vda's clone mode")
        vdb = wait_for(lambda: find(dialog, pyatspi.ROLE_COMBO_BOX, "Clone vdb as"),
                       what="vdb's clone mode")
        assert vdb is not None
        # Its second item; the files below show whether it took.
        vda.querySelection().selectChild(1)
        time.sleep(0.3)
        find(dialog, pyatspi.ROLE_PUSH_BUTTON, "Clone").queryAction().doAction(0)
        wait_for(lambda: "vm-delta-clone" in m.states(), 60, "the clone in the list")
        dumped = subprocess.run([cli, "dumpxml", "vm-delta-clone"], check=True, env=env,
                                stdout=subprocess.PIPE, text=True).stdout
        overlay = os.path.join(tmp, "vm-delta-clone.qcow2")
        copy = os.path.join(os.path.dirname(shared), "vm-delta-clone-1.qcow2")
        assert overlay in dumped and copy in dumped, dumped
        info = subprocess.run(["qemu-img", "info", "-U", "--output=json", overlay], check=True,
                              stdout=subprocess.PIPE, text=True).stdout
        assert os.path.join(tmp, "vm-beta.qcow2") in info, "vda is not an overlay: " + info
        info = subprocess.run(["qemu-img", "info", "-U", "--output=json", copy], check=True,
                              stdout=subprocess.PIPE, text=True).stdout
        assert "backing-filename" not in info, "vdb is not a full copy: " + info
        # Deleting vm-delta would take the clone's backing file: its image is
        # unchecked and locked, with the reason.
        m.select("vm-delta")
        activate_win_action("org.vmdesk.Vmdesk", "delete")
        dialog = wait_for(lambda: find(app, pyatspi.ROLE_ALERT, None)
                          or find(app, pyatspi.ROLE_DIALOG, "Delete “vm-delta”?"),
                          what="vm-delta's Delete dialog")
        wait_for(lambda: find(dialog, pyatspi.ROLE_LABEL,
                              "“vm-delta-clone” has an overlay on it"), 10,
                 "the backing file's warning")
        own = find(dialog, pyatspi.ROLE_CHECK_BOX, "vm-beta.qcow2")
        assert not own.getState().contains(pyatspi.STATE_CHECKED), "the backing file is checked"
        assert not own.getState().contains(pyatspi.STATE_SENSITIVE), "the backing file can be checked"
        find(dialog, pyatspi.ROLE_PUSH_BUTTON, "Cancel").queryAction().doAction(0)
        wait_for(lambda: not find(app, pyatspi.ROLE_DIALOG, "Delete “vm-delta”?"), 5,
                 "the dialog to close")

        # Deleting the clone deletes its own images, not the overlay's backing
        # file; with "Ask before deleting" unticked in Preferences, at once.
        subprocess.run(["gdbus", "call", "--session", "--dest", "org.vmdesk.Vmdesk",
                        "--object-path", "/org/vmdesk/Vmdesk",
                        "--method", "org.gtk.Actions.Activate", "preferences", "[]", "{}"],
                       check=True, stdout=subprocess.DEVNULL)
        ask = wait_for(lambda: find(app, pyatspi.ROLE_CHECK_BOX, "Deleting a virtual machine"), 10,
                       "the Deleting check box")
        assert ask.getState().contains(pyatspi.STATE_CHECKED), "deleting is not asked by default"
        ask.queryAction().doAction(0)
        wait_for(lambda: not ask.getState().contains(pyatspi.STATE_CHECKED), 5, "it to untick")
        m.select("vm-delta-clone")
        activate_win_action("org.vmdesk.Vmdesk", "delete")
        wait_for(lambda: "vm-delta-clone" not in m.states(), 10, "the clone to go")
        assert not find(app, pyatspi.ROLE_DIALOG, "Delete “vm-delta-clone”?"), "it asked"
        ask.queryAction().doAction(0)  # ask again for the next deletion
        wait_for(lambda: ask.getState().contains(pyatspi.STATE_CHECKED), 5, "it to tick again")
        wait_for(lambda: not os.path.exists(overlay) and not os.path.exists(copy), 10,
                 "the clone's images to be deleted")
        assert os.path.exists(os.path.join(tmp, "vm-beta.qcow2")), "the backing file went too"
        print("ok 10b - Clone makes vda an overlay and copies vdb, as chosen per disk")

        # Delete: one check box per image; the image vm-broken also uses is
        # unchecked and kept, vm-delta's own is deleted.
        disk = os.path.join(tmp, "vm-beta.qcow2")
        assert os.path.exists(disk) and os.path.exists(shared)
        m.select("vm-delta")
        activate_win_action("org.vmdesk.Vmdesk", "delete")
        dialog = wait_for(lambda: find(app, pyatspi.ROLE_ALERT, None)
                          or find(app, pyatspi.ROLE_DIALOG, "Delete “vm-delta”?"),
                          what="the Delete dialog")
        own = wait_for(lambda: find(dialog, pyatspi.ROLE_CHECK_BOX, "vm-beta.qcow2"),
                       what="the own image's check box")
        other = wait_for(lambda: find(dialog, pyatspi.ROLE_CHECK_BOX, "shared.qcow2"),
                         what="the shared image's check box")
        assert own.getState().contains(pyatspi.STATE_CHECKED), "own image not checked"
        assert not other.getState().contains(pyatspi.STATE_CHECKED), "shared image checked"
        assert find(dialog, pyatspi.ROLE_LABEL, "Used by “vm-broken”"), "no “Used by” warning"
        find(dialog, pyatspi.ROLE_PUSH_BUTTON, "Delete").queryAction().doAction(0)
        wait_for(lambda: "vm-delta" not in m.states(), 10, "vm-delta to leave the list")
        wait_for(lambda: not os.path.exists(disk), 10, "the own disk image to be deleted")
        time.sleep(0.5)
        assert os.path.exists(shared), "the shared image was deleted"
        print("ok 11 - Delete removes the VM and its own image, keeps the shared one")

        # A second launch opens the console of a VM in the running instance.
        subprocess.run([vmdesk, "--show-domain-console", "vm-gamma"], env=env, check=True,
                       timeout=30)
        wait_for(lambda: find(app, pyatspi.ROLE_FRAME, "vm-gamma"), 15,
                 "the window of vm-gamma")
        assert proc.poll() is None, "vmdesk died"
        print("ok 12 - a second launch opens the VM's window in the running instance")

        frame.queryComponent()  # still there
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
        print("ok: all manager checks passed")
        return 0
    finally:
        if proc is not None and proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        kill_qemus(run)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
