#!/bin/sh
# Redo the pool of tests/relevance/riksdagen.toml from scratch (Debian 12; run as root or
# adapt the su lines). WORK is a scratch directory; nothing is written into the repository
# except what you copy back yourself.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
WORK=${WORK:-/work/reldev}
PARAGRAF=${PARAGRAF:-/work/bin-main/paragraf}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin | tail -1)}
SPEECHES=${SPEECHES:-/work/shared/corpus/riksdagen-records-sample/speeches.jsonl}
mkdir -p "$WORK"
# 0. tools: the Swedish dictionary Paragraf splits compounds with, PostgreSQL, Snowball
#    apt-get install -y hunspell-sv postgresql ; pip install snowballstemmer
# 1. the items
python3 "$REPO/bench/riksdagen_minutes.py" "$SPEECHES" "$WORK/riksdagen"
"$PARAGRAF" parse "$WORK/riksdagen/minutes" > "$WORK/items.jsonl"
"$PARAGRAF" index "$WORK/riksdagen/minutes" --index "$WORK/idx"
# 2. a throwaway PostgreSQL cluster on a unix socket
if [ ! -d "$WORK/pg/data" ]; then
  mkdir -p "$WORK/pg" && chown postgres "$WORK/pg"
  su postgres -c "$PGBIN/initdb -D $WORK/pg/data -E UTF8 --locale=C.UTF-8"
fi
su postgres -c "$PGBIN/pg_ctl -D $WORK/pg/data -o \"-k $WORK/pg -c listen_addresses=''\" -l $WORK/pg/log start" || true
su postgres -c "psql -h $WORK/pg -c 'create database reldev' postgres" || true
# 3. the runs of the four systems (top 20 each; the pool uses the top 10)
python3 "$HERE/run_pool.py" "$WORK/items.jsonl" "$HERE/queries.tsv" "$WORK/idx" "$WORK/pg" "$WORK/runs.json"
# 4. the sheet to read and judge (write grades.txt from it), phrase reading aid
python3 "$HERE/show_pool.py" "$WORK/items.jsonl" "$WORK/runs.json" > "$WORK/pool.txt"
python3 "$HERE/phrase_check.py" "$WORK/items.jsonl" "$WORK/runs.json" 111 128 > "$WORK/phrases.txt"
# 5. qrels, the TOML and the table
python3 "$HERE/qrels.py" "$WORK/runs.json" "$HERE/grades.txt" "$WORK/riksdagen-qrels.tsv"
python3 "$HERE/build_toml.py" "$WORK/runs.json" "$WORK/riksdagen-qrels.tsv" "$HERE/notes.tsv" "$WORK/riksdagen.toml"
python3 "$HERE/evaluate.py" "$WORK/runs.json" "$WORK/riksdagen-qrels.tsv" --worst 10
