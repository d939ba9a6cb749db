#!/usr/bin/env bash
# The before/after measurements of BENCHMARKS.md, in one run.
#
#   bench/compare.sh [cookie-before] [redis-before]
#
# Builds the bench test binary of this checkout and one per "before"
# commit (that commit's module with this checkout's bench/*_test.go, which
# use only the public API), then
#   1. runs the end-to-end loopback report (TestLoopbackE2E: every server
#      pinned to CPU 0, wrk on CPU 1), with the Redis "before" build in
#      the same rounds;
#   2. alternates the cookie "before" and "after" binaries, one pass each,
#      six times, over the medium cookie benchmarks;
#   3. does the same with the Redis "before" binary and the Redis
#      benchmarks;
# and prints benchstat's comparisons. Defaults: 98da3d7 (main before the
# cookie work of issue 13) and 5bf32d5 (main before its Redis work).
# Needs git, wrk, taskset, redis-server and benchstat
# (go install golang.org/x/perf/cmd/benchstat@latest). Takes ~20 minutes.
set -euo pipefail

cookie_before=${1:-98da3d7}
redis_before=${2:-5bf32d5}
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
out=$(mktemp -d)
trees=()
cleanup() {
	for t in ${trees[@]+"${trees[@]}"}; do git -C "$repo" worktree remove --force "$t" || true; done
	echo "raw results and test binaries: $out (remove when done)"
}
trap cleanup EXIT

build() { # name commit
	local tree="$out/tree-$1"
	git -C "$repo" worktree add --detach "$tree" "$2" >/dev/null
	trees+=("$tree")
	cp "$repo"/bench/*_test.go "$repo"/bench/go.mod "$repo"/bench/go.sum "$tree/bench/"
	(cd "$tree/bench" && go test -c -o "$out/$1.test" .)
}

(cd "$repo/bench" && go test -c -o "$out/after.test" .)
build before "$cookie_before"
build before-redis "$redis_before"

echo "== end to end on loopback (Redis before: $redis_before)"
SESSCONF_LOOPBACK=1 SESSCONF_LOOPBACK_ROUNDS=6 SESSCONF_LOOPBACK_BEFORE="$out/before-redis.test" \
	SESSCONF_LOOPBACK_REPORT="$out/e2e.md" \
	"$out/after.test" -test.run '^TestLoopbackE2E$' -test.timeout 40m >"$out/e2e.log" 2>&1
cat "$out/e2e.md"

cookie='CookieRatio/(encrypted|signed)/medium|Floor/medium|Cycle/(sessconf-encrypted|sessconf-signed|gorilla-cookiestore)/medium|Untouched'
redis='RedisInterleaved|RedisServerCPU|RedisCycle/(sessconf|scs)/medium'
for i in 1 2 3 4 5 6; do
	for b in before after; do
		"$out/$b.test" -test.run='^$' -test.bench="$cookie" -test.benchtime=20000x \
			-test.count=1 -test.benchmem >>"$out/cookie-$b.txt"
	done
done
for i in 1 2 3 4 5 6; do
	for b in before-redis after; do
		SESSCONF_REQUIRE_REDIS=1 "$out/$b.test" -test.run='^$' -test.bench="$redis" -test.benchtime=3000x \
			-test.count=1 -test.benchmem >>"$out/redis-$b.txt"
	done
done
echo "== cookie sessions, medium ($cookie_before -> this checkout)"
(cd "$out" && cp cookie-before.txt before.txt && cp cookie-after.txt after.txt && benchstat -col .file before.txt after.txt)
echo "== Redis sessions ($redis_before -> this checkout)"
(cd "$out" && cp redis-before-redis.txt before.txt && cp redis-after.txt after.txt && benchstat -col .file before.txt after.txt)
