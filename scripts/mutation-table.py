#!/usr/bin/env python3
# Classifies the kernel mutation runs (scripts/mutation.sh): killed, survivors that only charge
# cycles, survivors in KernelBug switches, other survivors; prints the README table.
# Usage: scripts/mutation-table.py [--list] [--with-kernel-suites]
#   --list                 also prints every other survivor
#   --with-kernel-suites   a mutant counts as killed if the refinement run or the kernel suites'
#                          run (kernel-impl/target/pit-reports) killed it; both runs mutate the
#                          same classes of the same source, so their mutants pair up in order
import csv, collections, os, re, sys
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
KILLED = ('KILLED', 'TIMED_OUT', 'MEMORY_ERROR', 'RUN_ERROR')

def read(path):
    return list(csv.reader(open(os.path.join(ROOT, path))))

def key_rows(rows):
    # (class, method, line, mutator, n-th such mutant) -> row
    seen = collections.Counter()
    out = {}
    for r in rows:
        k = (r[1], r[3], r[4], r[2])
        out[k + (seen[k],)] = r
        seen[k] += 1
    return out

rows = read('refinement/target/pit-reports/mutations.csv')
if '--with-kernel-suites' in sys.argv[1:]:
    theirs = key_rows(read('kernel-impl/target/pit-reports/mutations.csv'))
    mine = key_rows(rows)
    rows = []
    for k in sorted(set(mine) | set(theirs)):
        a, b = mine.get(k), theirs.get(k)
        if a is None or b is None:
            # a class only one run mutates (only the refinement run mutates what its targets list)
            rows.append(a or b)
        else:
            rows.append(a if a[5] in KILLED or b[5] not in KILLED else b)
src = {}
def line(cls, ln):
    f = os.path.join(ROOT, 'kernel-impl/src/main/java/dev/mkspec/kernel/%s.java' % cls.split('.')[-1].split('$')[0])
    if f not in src:
        src[f] = open(f).read().split('\n')
    return src[f][ln - 1].strip()
cost = re.compile(r'cpu\.(run|touch|physical|copy|enter|exit|writeCr3|sendIpi|receiveIpi|invalidateForShootdown|spin)\(|meter\.(phase|charge)\(')
per = collections.defaultdict(collections.Counter)
other = []
for r in rows:
    cls = r[1].split('.')[-1]; status = r[5]; ln = int(r[4]); text = line(r[1], ln)
    killed = status in KILLED
    cat = 'killed' if killed else ('cost' if cost.search(text) else ('bughook' if 'KernelBug.' in text else ('nocov' if status == 'NO_COVERAGE' else 'survived')))
    per[cls][cat] += 1; per[cls]['total'] += 1
    if cat in ('survived', 'nocov'):
        other.append((cls, r[3], ln, r[2].split('.')[-1], status, text[:90]))
# Kernel's system-call paths: dispatch, entry and exit, the CPU steps (the rest of Kernel is the
# driver's set-up and the read-only views)
SYSCALL_PATHS = {'syscall', 'dispatch', 'enter', 'leave', 'entryPath', 'exitPath', 'step', 'locked', 'opName'}
paths = collections.Counter()
for r in rows:
    if r[1].split('.')[-1] == 'Kernel' and r[3] in SYSCALL_PATHS:
        paths['total'] += 1
        paths['killed'] += r[5] in KILLED
tot = collections.Counter()
print('| class | mutants | killed | survived: cost only | survived: bug switch | survived: other | no coverage: other | killed / (mutants - cost - bug switch) |')
print('|---|---:|---:|---:|---:|---:|---:|---:|')
for cls in sorted(per):
    c = per[cls]; tot.update(c)
    judged = c['total'] - c['cost'] - c['bughook']
    print('| `%s` | %d | %d | %d | %d | %d | %d | %.1f%% |' % (cls, c['total'], c['killed'], c['cost'], c['bughook'], c['survived'], c['nocov'], 100.0 * c['killed'] / max(1, judged)))
judged = tot['total'] - tot['cost'] - tot['bughook']
print('| all | %d | %d | %d | %d | %d | %d | %.1f%% |' % (tot['total'], tot['killed'], tot['cost'], tot['bughook'], tot['survived'], tot['nocov'], 100.0 * tot['killed'] / judged))
print('raw kill ratio %.1f%%' % (100.0 * tot['killed'] / tot['total']))
for cls in sorted(per):
    print('raw %s %d/%d = %.1f%%' % (cls, per[cls]['killed'], per[cls]['total'], 100.0 * per[cls]['killed'] / per[cls]['total']))
print('raw Kernel system-call paths (%s) %d/%d = %.1f%%' % (', '.join(sorted(SYSCALL_PATHS)), paths['killed'], paths['total'],
                                                          100.0 * paths['killed'] / max(1, paths['total'])))
if '--list' in sys.argv[1:]:
    for o in other:
        print(o)
