#!/bin/sh
# Writes step.sql's case step N times in one transaction, each in its own SAVEPOINT (as SQLite's
# group commit runs its members), each step on its own random case: sh group.sh 8 > group8.sql
n=${1:-8}
dir=$(dirname "$0")
i=0
while [ "$i" -lt "$n" ]; do echo "\\set c$i random(1, 20000)"; i=$((i + 1)); done
echo "BEGIN;"
i=0
while [ "$i" -lt "$n" ]; do
  echo "SAVEPOINT member;"
  grep -v -e '^\\set' -e '^BEGIN;$' -e '^END;$' "$dir/step.sql" | sed "s/:c\\b/:c$i/g"
  echo "RELEASE member;"
  i=$((i + 1))
done
echo "END;"
