#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Check flatpak/org.vmdesk.Vmdesk.json against the rest of the tree.

Usage: check-flatpak.py SOURCE_ROOT

- the manifest is valid JSON with app-id org.vmdesk.Vmdesk, the GNOME
  runtime and SDK, and a command;
- every module has a name and sources, git sources name a tag or commit,
  and the last module is vmdesk itself, built from the source tree;
- every dependency('NAME') in any meson.build of the tree is provided
  either by the GNOME runtime or by a module of the manifest.
"""

import json
import os
import re
import sys

APP_ID = 'org.vmdesk.Vmdesk'
MANIFEST = os.path.join('flatpak', APP_ID + '.json')

# pkg-config names the org.gnome.Platform 45 runtime (freedesktop 23.08
# underneath) provides. Only what we are sure of: an unknown name fails
# and is added here, or built as a module, on purpose.
RUNTIME_PROVIDES = {
    # meson built-ins, not pkg-config
    'threads', 'dl', 'libm', 'intl',
    # GLib
    'glib-2.0', 'gio-2.0', 'gio-unix-2.0', 'gobject-2.0', 'gmodule-2.0',
    'gmodule-no-export-2.0', 'gthread-2.0',
    # GTK 3 and its stack
    'gtk+-3.0', 'gdk-3.0', 'gtk+-unix-print-3.0', 'gtk+-x11-3.0',
    'gtk+-wayland-3.0', 'gdk-x11-3.0', 'gdk-wayland-3.0', 'gail-3.0',
    'gdk-pixbuf-2.0', 'cairo', 'cairo-gobject', 'pango', 'pangocairo',
    'atk', 'epoxy', 'x11', 'harfbuzz', 'fontconfig', 'freetype2',
    # other libraries
    'libxml-2.0', 'libxslt', 'json-glib-1.0', 'libsoup-3.0', 'gnutls',
    'zlib', 'libarchive', 'libcurl', 'sqlite3', 'libsecret-1', 'libpulse',
    'libpulse-mainloop-glib', 'gstreamer-1.0', 'gstreamer-app-1.0',
    'gstreamer-video-1.0', 'pixman-1', 'libudev', 'libsystemd', 'libjpeg',
    'opus', 'liblz4', 'libpcre2-8', 'fribidi', 'gobject-introspection-1.0',
}

# pkg-config name -> name of the manifest module that builds it.
MODULE_PROVIDES = {
    'gtk-vnc-2.0': 'gtk-vnc',
    'gvnc-1.0': 'gtk-vnc',
    'gvncpulse-1.0': 'gtk-vnc',
    'spice-client-gtk-3.0': 'spice-gtk',
    'spice-client-glib-2.0': 'spice-gtk',
    'spice-protocol': 'spice-protocol',
    'vte-2.91': 'vte',
    'libosinfo-1.0': 'libosinfo',
    'libvirt': 'libvirt',
    'libvirt-qemu': 'libvirt',
    'libvirt-glib-1.0': 'libvirt-glib',
    'libvirt-gobject-1.0': 'libvirt-glib',
    'libvirt-gconfig-1.0': 'libvirt-glib',
    'gtksourceview-4': 'gtksourceview',
    'libusb-1.0': 'libusb',
    'libusbredirparser-0.5': 'usbredir',
    'libusbredirhost': 'usbredir',
    'slirp': 'libslirp',
}

BUILDSYSTEMS = {'autotools', 'cmake', 'cmake-ninja', 'meson', 'simple', 'qmake'}

# dependency('name' ...), but not declare_dependency( or override_dependency(
DEP_RE = re.compile(r"(?<![\w.])dependency\(\s*'([^']+)'")
EXE_RE = re.compile(r"(?<![\w.])executable\(\s*'([^']+)'")
SHA256_RE = re.compile(r'^[0-9a-f]{64}$')


def find_meson_files(root):
    for dirpath, dirnames, filenames in os.walk(root):
        # skip hidden directories (.git) and meson build directories
        dirnames[:] = sorted(
            d for d in dirnames
            if not d.startswith('.')
            and d != 'subprojects'
            and not os.path.isdir(os.path.join(dirpath, d, 'meson-private')))
        if 'meson.build' in filenames:
            yield os.path.join(dirpath, 'meson.build')


def strip_comments(text):
    # meson comments run from '#' to the end of the line, outside strings
    out = []
    for line in text.splitlines():
        in_str = False
        cut = len(line)
        i = 0
        while i < len(line):
            c = line[i]
            if c == '\\' and in_str:
                i += 2
                continue
            if c == "'":
                in_str = not in_str
            elif c == '#' and not in_str:
                cut = i
                break
            i += 1
        out.append(line[:cut])
    return '\n'.join(out)


def walk_modules(modules, base, errors, path='modules'):
    """Yield every module dict, nested ones included."""
    for i, mod in enumerate(modules):
        where = f'{path}[{i}]'
        if isinstance(mod, str):
            sub = os.path.join(base, mod)
            if not os.path.isfile(sub):
                errors.append(f'{where}: module file {mod} does not exist')
                continue
            with open(sub, encoding='utf-8') as f:
                mod = json.load(f)
        if not isinstance(mod, dict):
            errors.append(f'{where}: a module must be an object or a file name')
            continue
        yield where, mod
        yield from walk_modules(mod.get('modules', []), base, errors,
                                f'{where}.modules')


def check_module(where, mod, errors):
    name = mod.get('name')
    if not name:
        errors.append(f'{where}: module has no name')
        name = where
    bs = mod.get('buildsystem')
    sources = mod.get('sources')
    if bs is None and not sources:
        errors.append(f'module {name}: has neither a buildsystem nor sources')
    if bs is not None and bs not in BUILDSYSTEMS:
        errors.append(f'module {name}: unknown buildsystem "{bs}"')
    if not sources:
        errors.append(f'module {name}: has no sources')
        return
    for j, src in enumerate(sources):
        if isinstance(src, str):
            continue  # a file holding sources, checked by flatpak-builder
        kind = src.get('type')
        if kind == 'git':
            if not src.get('url'):
                errors.append(f'module {name}: git source {j} has no url')
            if not (src.get('tag') or src.get('commit')):
                errors.append(f'module {name}: git source {j} names neither '
                              'a tag nor a commit, so the build is not reproducible')
        elif kind in ('archive', 'file'):
            if src.get('url'):
                sha = src.get('sha256', '')
                if not SHA256_RE.match(sha) or set(sha) == {'0'}:
                    errors.append(f'module {name}: {kind} source {j} '
                                  f'({src["url"]}) has no real sha256')
            elif not src.get('path'):
                errors.append(f'module {name}: {kind} source {j} has '
                              'neither url nor path')
        elif kind is None:
            errors.append(f'module {name}: source {j} has no type')


def main(argv):
    if len(argv) != 2:
        print('Usage: check-flatpak.py SOURCE_ROOT', file=sys.stderr)
        return 2
    root = argv[1]
    manifest_path = os.path.join(root, MANIFEST)
    errors = []

    try:
        with open(manifest_path, encoding='utf-8') as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        print(f'{MANIFEST}: cannot be read: {e}', file=sys.stderr)
        return 1

    app_id = manifest.get('app-id', manifest.get('id'))
    if app_id != APP_ID:
        errors.append(f'app-id is "{app_id}", expected "{APP_ID}"')
    if manifest.get('runtime') != 'org.gnome.Platform':
        errors.append('runtime is not org.gnome.Platform')
    if manifest.get('sdk') != 'org.gnome.Sdk':
        errors.append('sdk is not org.gnome.Sdk')
    if not manifest.get('runtime-version'):
        errors.append('runtime-version is not set')
    command = manifest.get('command')
    if not command:
        errors.append('command is not set')

    finish_args = manifest.get('finish-args', [])
    if len(set(finish_args)) != len(finish_args):
        errors.append('finish-args lists a permission twice')

    top = manifest.get('modules', [])
    if not top:
        errors.append('the manifest has no modules')

    base = os.path.dirname(manifest_path)
    modules = list(walk_modules(top, base, errors))
    names = {}
    for where, mod in modules:
        check_module(where, mod, errors)
        name = mod.get('name')
        if name in names:
            errors.append(f'module name {name} is used twice '
                          f'({names[name]} and {where})')
        names.setdefault(name, where)

    if top:
        last = top[-1] if isinstance(top[-1], dict) else {}
        if last.get('name') != 'vmdesk':
            errors.append('the last module is not vmdesk')
        else:
            srcs = last.get('sources', [])
            if not any(isinstance(s, dict) and s.get('type') == 'dir'
                       and os.path.normpath(os.path.join(base, s.get('path', '')))
                       == os.path.normpath(root)
                       for s in srcs):
                errors.append('module vmdesk is not built from the source tree '
                              '(a "dir" source whose path is the repository root)')
            if last.get('buildsystem') != 'meson':
                errors.append('module vmdesk does not use the meson buildsystem')

    # Dependencies named in meson.build files
    executables = set()
    seen = {}
    for mb in find_meson_files(root):
        rel = os.path.relpath(mb, root)
        with open(mb, encoding='utf-8') as f:
            text = strip_comments(f.read())
        executables.update(EXE_RE.findall(text))
        for dep in DEP_RE.findall(text):
            seen.setdefault(dep, rel)

    for dep, rel in sorted(seen.items()):
        if dep in RUNTIME_PROVIDES:
            continue
        module = MODULE_PROVIDES.get(dep)
        if module is None:
            errors.append(
                f"{rel}: dependency('{dep}') is neither in the GNOME runtime "
                f'nor built by a module of {MANIFEST}: add a module for it and '
                'map it in MODULE_PROVIDES, or list it in RUNTIME_PROVIDES in '
                'tests/meta/check-flatpak.py if the runtime has it')
        elif module not in names:
            errors.append(
                f"{rel}: dependency('{dep}') needs the module '{module}', "
                f'which {MANIFEST} does not build')

    if command and executables and command not in executables:
        # Only a note: the name may come from a variable.
        print(f'{MANIFEST}: note: no executable(\'{command}\', ...) found in '
              f'the meson.build files (found: {", ".join(sorted(executables))})')

    for e in errors:
        print(f'{MANIFEST}: {e}', file=sys.stderr)
    if errors:
        return 1
    print(f'{MANIFEST}: OK ({len(modules)} modules, '
          f'{len(seen)} meson dependencies checked: {", ".join(sorted(seen))})')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
