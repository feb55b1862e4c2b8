#!/bin/sh
# check.sh PREFIX SOURCE_DIR WORK_DIR - the test suite's check of the
# embedding example (ctest -R embed): build embed.c, and the complete
# example of docs/embedding.md, against the libedict installed in PREFIX,
# found with pkg-config, the way an integrator does; run them on the KOTRA
# rules; and check that they answer and explain exactly as the installed
# `edict` command does.  Also links the static library, and compiles the
# header as C++ when a C++ compiler is there.
set -eu
prefix=$1
src=$2
work=$3
rm -rf "$work"
mkdir -p "$work"

pc=$(find "$prefix" -name edict.pc | head -n 1)
[ -n "$pc" ] || { echo "no edict.pc under $prefix"; exit 1; }
PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_PATH
cflags=$(pkg-config --cflags edict)
libs=$(pkg-config --libs edict)
libdir=$(pkg-config --variable=libdir edict)
echo "pkg-config: edict $(pkg-config --modversion edict): $cflags $libs"
[ "$(pkg-config --modversion edict)" = 0.1.0 ]
[ -f "$libdir/libedict.so.0" ] && [ -f "$libdir/libedict.a" ] || { echo "libraries missing in $libdir"; exit 1; }
edict=$prefix/bin/edict

rules=$src/rules/kotra
[ -d "$rules" ] || rules=$src/examples/voucher
facts=$src/examples/companies/dhaka_garment_maker.json
[ -f "$facts" ] || facts=$src/examples/voucher/company.json

# the example, as its Makefile builds it
cc ${CFLAGS:-} -std=c11 -Wall -Wextra -Werror $cflags -o "$work/embed" "$src/examples/embed/embed.c" $libs -Wl,-rpath,"$libdir"
# it must use the installed shared library
ldd "$work/embed" | grep -q "$libdir/libedict.so.0" || { ldd "$work/embed"; echo "not linked to $libdir"; exit 1; }
(cd "$work" && ./embed "$rules" "$facts" > embed.out)
cat "$work/embed.out"
"$edict" eval "$rules" --facts "$facts" --query voucher.award > "$work/award.want"
grep -q "^voucher award: $(sed 's/^voucher.award = //' "$work/award.want")\$" "$work/embed.out" ||
	{ echo "the award differs from: $(cat "$work/award.want")"; exit 1; }
# (the command's explanation follows an "as of" line and ends with a blank line)
"$edict" eval "$rules" --facts "$facts" --query voucher.award --explain | sed '1,2d' | grep -v '^$' > "$work/explain.want"
sed '1,/^$/d' "$work/embed.out" | grep -v '^$' > "$work/explain.got"
diff -u "$work/explain.want" "$work/explain.got"

# the same program against the static library
cc ${CFLAGS:-} -std=c11 $cflags -o "$work/embed-static" "$src/examples/embed/embed.c" "$libdir/libedict.a" \
	$(pkg-config --libs bdw-gc json-c) -pthread
(cd "$work" && ./embed-static "$rules" "$facts" > embed-static.out)
cmp "$work/embed.out" "$work/embed-static.out"

# the complete example of docs/embedding.md (its ```c block), and the
# output the document shows for it (the ```text block that follows)
doc=$src/docs/embedding.md
awk '/^```c file=example.c/{f=1;next} f&&/^```/{exit} f' "$doc" > "$work/example.c"
awk '/^```c file=example.c/{c=1} c&&/^```text output/{f=1;next} f&&/^```/{exit} f' "$doc" > "$work/example.want"
[ -s "$work/example.c" ] && [ -s "$work/example.want" ] || { echo "no example in $doc"; exit 1; }
cc ${CFLAGS:-} -std=c11 -Wall -Wextra -Werror $cflags -o "$work/example" "$work/example.c" $libs -Wl,-rpath,"$libdir"
(cd "$src" && "$work/example") > "$work/example.got"
diff -u "$work/example.want" "$work/example.got"

# the header is also C++
if command -v c++ > /dev/null 2>&1; then
	echo '#include <edict.h>
int main() { edict_rules *r = 0; return edict_rules_status(r) == EDICT_EUSAGE ? 0 : 1; }' > "$work/cxx.cc"
	c++ ${CFLAGS:-} -Wall -Wextra -Werror $cflags -o "$work/cxx" "$work/cxx.cc" $libs -Wl,-rpath,"$libdir"
	"$work/cxx"
fi
echo "embed: ok"
