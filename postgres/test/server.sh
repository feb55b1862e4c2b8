# postgres/test/server.sh - a private PostgreSQL with the extension in it,
# for the regression tests (run.sh) and the benchmark (bench/postgres).
# Sourced, with $tmp a fresh directory and $pgext the extension's
# directory (postgres/); then:
#
#   pg_private_init MODULE PORT   a private installation in $tmp/inst with
#                                 MODULE as edict.so, initdb into $tmp/data,
#                                 a Unix socket in $tmp only (no TCP)
#   pg_private_start / _stop      pg_ctl start and stop (stop: immediate)
#   as_pg CMD...                  CMD as the user postgres when we are root
#                                 (initdb refuses root), else as we are
#
# PostgreSQL finds its share and lib directories from where its programs
# are, so copies of them in $tmp/inst use the links and files put there.
pgbin=$(pg_config --bindir)
pgshare=$(pg_config --sharedir)
pglib=$(pg_config --pkglibdir)
pgext=${pgext:?set pgext to the directory of edict.control}

as_pg() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
	as_pg() { runuser -u postgres -- "$@"; }
fi

pg_private_init() {
	inst=$tmp/inst
	data=$tmp/data
	mkdir -p "$inst$pgbin" "$inst$pgshare/extension" "$inst$pglib"
	for p in postgres initdb pg_ctl; do cp "$pgbin/$p" "$inst$pgbin/"; done
	for f in "$pgshare"/*; do [ "$(basename "$f")" = extension ] || ln -s "$f" "$inst$pgshare/"; done
	for f in "$pgshare"/extension/*; do ln -s "$f" "$inst$pgshare/extension/"; done
	for f in "$pglib"/*; do ln -s "$f" "$inst$pglib/"; done
	rm -f "$inst$pglib/edict.so" "$inst$pgshare/extension/edict.control" "$inst$pgshare"/extension/edict--*.sql
	cp "$1" "$inst$pglib/edict.so"
	cp "$pgext/edict.control" "$pgext"/edict--*.sql "$inst$pgshare/extension/"
	[ "$(id -u)" -ne 0 ] || chown -R postgres "$tmp"
	as_pg "$inst$pgbin/initdb" -D "$data" -A trust -U postgres -E UTF8 --no-locale >"$tmp/initdb.log" 2>&1 ||
		{ cat "$tmp/initdb.log"; return 1; }
	cat >>"$data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$tmp'
port = $2
fsync = off
CONF
}

pg_private_start() {
	[ "$(id -u)" -ne 0 ] || chown -R postgres "$data"
	as_pg "$inst$pgbin/pg_ctl" -D "$data" -l "$tmp/server.log" -w -t 60 start >/dev/null ||
		{ cat "$tmp/server.log"; return 1; }
}

pg_private_stop() {
	if [ -f "$data/postmaster.pid" ]; then
		as_pg "$inst$pgbin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
}
