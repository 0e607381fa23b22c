#!/bin/sh
# Writes step.sql's case step N times in one transaction, each in its own SAVEPOINT (as SQLite's
# group commit runs its members), each step on its own random case: sh group.sh 8 > group8.sql.
# The audit head is locked first, as one combiner holding it for the whole group would: a member
# taking a case row after the head could otherwise deadlock with another client's group.
n=${1:-8}
dir=$(dirname "$0")
i=0
while [ "$i" -lt "$n" ]; do echo "\\set c$i random(1, 20000)"; i=$((i + 1)); done
echo "BEGIN;"
echo "SELECT last_seq FROM pgb.audit_head WHERE id = 1 FOR UPDATE;"
i=0
while [ "$i" -lt "$n" ]; do
  echo "SAVEPOINT member;"
  grep -v -e '^\\set' -e '^BEGIN;$' -e '^END;$' "$dir/step.sql" | sed -e "s/:c\([^0-9A-Za-z_]\)/:c$i\1/g" -e "s/:c\$/:c$i/"
  echo "RELEASE member;"
  i=$((i + 1))
done
echo "END;"
