#!/bin/bash
# The referee of performance work on the cold build: one cold build over a real archive, compared with a reference
# build of the tree before the change. The output folder must be identical byte for byte, and the store must hold the
# same articles, observations, files and templates (sorted rows). Runs one build at a time (flock), so builds of
# several worktrees never overlap and their times stay comparable.
#
#   bench/real-check.sh ref   ARCHIVE REFDIR [TREE]        build the reference into REFDIR (from TREE/dist)
#   bench/real-check.sh check ARCHIVE REFDIR WORKDIR [TREE] build into WORKDIR and compare it with REFDIR
#
# TREE defaults to this checkout; build it first (npm run build). Prints wall and CPU (/usr/bin/time), the build's
# phase times, and one `DIFF …` line per difference; exit 1 when there is one. Needs python3 (its sqlite3 module).
set -u
MODE=${1:?ref|check}
ARCHIVE=$(realpath "${2:?archive}")
REF=${3:?reference folder}
if [ "$MODE" = ref ]; then W=$REF; TREE=${4:-$(dirname "$(realpath "$0")")/..}
elif [ "$MODE" = check ]; then W=${4:?work folder}; TREE=${5:-$(dirname "$(realpath "$0")")/..}
else echo "usage: bench/real-check.sh ref|check …" >&2; exit 2; fi
TREE=$(realpath "$TREE")
exec 9>/tmp/wxfeed-real-check.lock
flock 9
rm -rf "$W" && mkdir -p "$W"
printf 'dumps: [%s]\noutput: out\nstore: wxfeed.db\nurlFiles: []\n' "\"$ARCHIVE\"" > "$W/wxfeed.yaml"
cd "$W" || exit 2
/usr/bin/time -f "wall %e s, user %U s, sys %S s, peak RSS %M KB" node "$TREE/dist/cli.js" build --offline --json \
  --verbose --config "$W/wxfeed.yaml" > "$W/summary.json" 2> "$W/err.log"
echo "exit $?, load $(cut -d' ' -f1-3 /proc/loadavg)"
tail -1 "$W/err.log"
flock -u 9
python3 - "$W" "$REF" "$MODE" <<'PY'
import json, sqlite3, sys
work, ref, mode = sys.argv[1:4]
for line in open(f'{work}/err.log'):
    if '"build phase done"' in line:
        d = json.loads(line)
        print(f"  {d['phase']}: {d['ms']} ms, RSS {d.get('rssMb')} MB")
if mode == 'ref':
    sys.exit(0)
a = json.load(open(f'{ref}/summary.json')); b = json.load(open(f'{work}/summary.json'))
n = lambda v: len(v) if isinstance(v, list) else v
diff = 0
for k in ('filesRead', 'problems', 'articles', 'duplicatesMerged', 'sources', 'feedsWritten', 'filesWritten', 'warnings'):
    if n(a.get(k)) != n(b.get(k)):
        print('DIFF summary', k, n(a.get(k)), n(b.get(k))); diff = 1
QUERIES = [
    'SELECT key, id, link, title, author, date, date_precision, state, notice, best_origin, summary, cover, content_hash FROM articles ORDER BY key',
    'SELECT origin, key, source, title, date, state, body_hash, text_length, cover FROM observations ORDER BY origin',
    'SELECT path, problem, detail FROM files ORDER BY path',
    'SELECT name, template, prints FROM template_groups ORDER BY name',
]
for q in QUERIES:
    ra = sqlite3.connect(f'{ref}/wxfeed.db').execute(q).fetchall()
    rb = sqlite3.connect(f'{work}/wxfeed.db').execute(q).fetchall()
    if ra != rb:
        sa, sb = set(ra), set(rb)
        print('DIFF rows', q.split(' FROM ')[1].split()[0], len(ra), len(rb), 'only in the reference:', len(sa - sb), 'only here:', len(sb - sa)); diff = 1
sys.exit(diff)
PY
status=$?
if [ "$MODE" = check ]; then
  d=$(diff -rq "$REF/out" "$W/out" | head -5)
  if [ -n "$d" ]; then echo "$d" | sed 's/^/DIFF out: /'; status=1; fi
  [ $status = 0 ] && echo "identical to the reference"
fi
exit $status
