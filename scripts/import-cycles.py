#!/usr/bin/env python3
"""The import graph of server/src, from its `crate::` and `super::` paths: prints each
group of files that import one another in a cycle (strongly connected components of more
than one file), largest first, which SQL modules (db/) import anything but the
database's own modules and the domain, which files outside routes/ read axum, and which
outside routes/ and startup.rs read the application state. Issue 13 measures the layering
by these. Exit 0 always: a figure, not a check. Usage: scripts/import-cycles.py [SRC_DIR]"""
import os
import re
import sys

src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', 'server', 'src')
src = os.path.normpath(src)

modules = {}  # module path tuple -> file
for root, _, files in os.walk(src):
    for name in files:
        if not name.endswith('.rs'):
            continue
        path = os.path.join(root, name)
        rel = os.path.relpath(path, src)[:-3].split(os.sep)
        if rel[-1] in ('mod', 'lib', 'main'):
            rel = rel[:-1]
        if name == 'main.rs' and root == src:
            continue  # the binary, a crate of its own
        modules[tuple(rel)] = os.path.relpath(path, src)

def resolve(segments):
    """The longest module prefix of a path."""
    for n in range(len(segments), 0, -1):
        if tuple(segments[:n]) in modules:
            return tuple(segments[:n])
    return None

ident = r'[a-z_][a-z0-9_]*'
edges = {m: set() for m in modules}
for module, file in modules.items():
    text = open(os.path.join(src, file), encoding='utf-8').read()
    text = re.sub(r'#\[cfg\(test\)\]\s*mod tests\s*\{.*', '', text, flags=re.S)  # unit tests
    text = re.sub(r'^\s*//.*$', '', text, flags=re.M)  # comments
    is_dir = file.endswith('mod.rs') or file == 'lib.rs'
    here = list(module) if is_dir else list(module[:-1])
    paths = []
    for m in re.finditer(r'\b(crate|super)((?:::' + ident + r')+|::\{[^;]*?\})', text):
        base = [] if m.group(1) == 'crate' else here[:-1] if is_dir else here
        # super:: from a file x.rs is its parent; from x/mod.rs the grandparent
        if m.group(1) == 'super':
            base = here[:-1] if is_dir else here
        rest = m.group(2)
        if rest.startswith('::{'):
            for part in re.findall(ident + r'(?:::' + ident + r')*', rest):
                paths.append(base + part.split('::'))
        else:
            paths.append(base + rest[2:].split('::'))
    for p in paths:
        target = resolve(p)
        if target is not None and target != module and target != ():
            edges[module].add(target)

# Tarjan's strongly connected components.
index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]
sys.setrecursionlimit(10000)
def strong(v):
    index[v] = low[v] = counter[0]; counter[0] += 1
    stack.append(v); on.add(v)
    for w in edges[v]:
        if w not in index:
            strong(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        scc = []
        while True:
            w = stack.pop(); on.discard(w); scc.append(w)
            if w == v:
                break
        sccs.append(scc)
for v in modules:
    if v not in index:
        strong(v)

cycles = sorted((s for s in sccs if len(s) > 1), key=len, reverse=True)
print(f'{len(modules)} files, {sum(len(e) for e in edges.values())} imports between them')
if not cycles:
    print('no import cycle')
for scc in cycles:
    print(f'cycle of {len(scc)} files: ' + ', '.join(sorted(modules[m] for m in scc)))
sql = sorted((modules[m], sorted(modules[t] for t in targets if t[0] not in ('db', 'domain')))
             for m, targets in edges.items() if m and m[0] == 'db')
for file, outside in sql:
    if outside:
        print(f'{file} imports {", ".join(outside)}')
# HTTP belongs to routes/ and the wiring around it; a use case that reads axum is not free
# of it.
http = sorted(file for file in modules.values() if not file.startswith('routes' + os.sep)
              and re.search(r'\baxum(_extra)?::', open(os.path.join(src, file), encoding='utf-8').read()))
print('outside routes/, axum is read by: ' + ', '.join(http))
# The application's state is the wiring's: handlers hand each use case its parts.
state_readers = sorted(modules[m] for m, targets in edges.items()
                       if ('state',) in targets and m and m[0] not in ('routes', 'startup'))
print('outside routes/ and startup.rs, the state is read by: ' + (', '.join(state_readers) or 'nothing'))
