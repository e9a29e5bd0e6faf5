#!/bin/sh
# The tests that read the wall clock, run with the machine's clock moved (faketime, from Debian) to
# the moments that break date handling: just after midnight and late evening in Oslo (the UTC date
# is then another day), the afternoon (after noon UTC), New Year's Eve, and the two nights the
# clocks change (each run starts two minutes before the change and crosses it). Time flows from
# there. The same moments are walked on every `npm test` with Laget's own clock
# (test/integration/time-of-day.test.ts); this is the slower check of everything else.
#
#   npm run test:clock                       # the default files, at every moment (~15 minutes)
#   npm run test:clock -- dist/test/integration/routes.test.js   # other files
set -eu
cd "$(dirname "$0")/.."

if ! command -v faketime >/dev/null 2>&1; then
  echo "laget: faketime is missing; on Debian: apt-get install -y faketime" >&2
  exit 1
fi
# On Laget's Node.js (scripts/setup.sh fetches it when the machine's is older), set up once.
if [ -z "${LAGET_TEST_CLOCK_SET_UP:-}" ]; then
  exec sh scripts/setup.sh --browser -- env LAGET_TEST_CLOCK_SET_UP=1 sh scripts/test-clock.sh "$@"
fi
npm run build >/dev/null

if [ "$#" -gt 0 ]; then
  files="$*"
else
  # Every test that starts Laget on the real clock and works with dates (the rest set their own clock).
  files="dist/test/integration/routes.test.js dist/test/integration/answers.test.js dist/test/integration/http.test.js
    dist/test/integration/auth.test.js dist/test/integration/access-matrix.test.js dist/test/integration/faults-store.test.js
    dist/test/integration/faults-connector.test.js dist/test/integration/faults-process.test.js dist/test/e2e/playground-ladder.test.js"
fi

# Moments in UTC (faketime reads them in the TZ it is given), with what they are in Oslo.
failed=""
for moment in \
  "2026-12-03 23:30:00|00:30 in Oslo, winter" \
  "2026-12-04 12:30:00|13:30 in Oslo, winter" \
  "2026-12-04 22:30:00|23:30 in Oslo, winter" \
  "2026-06-14 22:30:00|00:30 in Oslo, summer" \
  "2026-06-15 21:30:00|23:30 in Oslo, summer" \
  "2026-12-31 22:30:00|23:30 on New Year's Eve in Oslo" \
  "2026-03-29 00:58:00|01:58 in Oslo, the night the clocks go forward" \
  "2026-10-25 00:58:00|02:58 in Oslo, the night the clocks go back"; do
  at=${moment%%|*}
  name=${moment#*|}
  echo "laget: tests at ${at} UTC (${name})"
  # shellcheck disable=SC2086
  if ! TZ=UTC FAKETIME_DONT_RESET=1 faketime -f "@${at}" npx mocha $files; then failed="${failed}
  ${at} UTC (${name})"; fi
done
if [ -n "$failed" ]; then
  echo "laget: tests failed at:${failed}" >&2
  exit 1
fi
echo "laget: the tests pass at every moment"
