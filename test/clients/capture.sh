#!/usr/bin/env bash
# test/clients/capture.sh: with encryption required, a loopback capture of a
# tsql session shows neither the password nor the query text; as a control,
# the same capture of a session without TLS DOES show them, so the check can
# fail.
#
# The password is searched in three forms: ASCII, UCS-2LE (how LOGIN7 holds
# strings) and UCS-2LE obfuscated the LOGIN7 way (nibbles swapped, XOR 0xA5),
# which is what a clear-text login actually puts on the wire.
#
# With the stand-in, two private instances are started whose sa password is
# a distinctive string: one with a certificate, one without.  Against a real
# SQL Server, MSSQL_PASSWORD is searched for, and the control uses
# "encryption = off" on the same server.
#
# Needs packet capture (tcpdump as root, or sudo -n).  When capture is
# impossible here, prints SKIP and exits 77.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tools/common.sh"
. "$here/lib.sh"

MC_TMP=$(mktemp -d)
chmod 755 "$MC_TMP"
trap 'mc_sim_stop_all; rm -rf "$MC_TMP"' EXIT

skip() { echo "SKIP: $*"; exit 77; }

if [ "$(id -u)" -eq 0 ]; then
	capture_cmd=(tcpdump)
elif sudo -n true 2>/dev/null; then
	capture_cmd=(sudo -n tcpdump)
else
	skip "packet capture needs root or password-less sudo"
fi
command -v tcpdump >/dev/null || skip "tcpdump is not installed (test/setup-deps.sh installs it)"

marker='mssql_cdc_capture_marker_7Q4'
if [ "${MSSQL_SIM:-0}" = 1 ]; then
	password='Kx9_Capture_Pw_Q7z!'
	base=${MSSQL_SIM_BASE_PORT:-51433}
	tls_port=$((base + 3))
	clear_port=$((base + 4))
	mc_make_cert "$MC_TMP/cert"
	mc_sim_start capture-tls "$tls_port" "$MC_TMP/tls" --sa-password "$password" \
		--tls-cert "$MC_TMP/cert/cert.pem" --tls-key "$MC_TMP/cert/key.pem" || exit 1
	mc_sim_start capture-clear "$clear_port" "$MC_TMP/clear" --sa-password "$password" || exit 1
	host=127.0.0.1
else
	password=$MSSQL_PASSWORD
	tls_port=$MSSQL_PORT
	clear_port=$MSSQL_PORT
	host=$MSSQL_HOST
fi

# capture NAME PORT ENCRYPTION: capture a tsql login + query on PORT into
# $MC_TMP/NAME.pcap; sets tsql_rc.
capture()
{
	local name=$1 port=$2 enc=$3 pcap=$MC_TMP/$1.pcap pid i
	"${capture_cmd[@]}" -i lo -n -U -Z root -w "$pcap" "tcp port $port" \
		2>"$MC_TMP/$name.tcpdump.log" &
	pid=$!
	for ((i = 0; i < 300; i++)); do
		grep -qs "listening on" "$MC_TMP/$name.tcpdump.log" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if ! grep -q 'listening on' "$MC_TMP/$name.tcpdump.log"; then
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		skip "tcpdump cannot capture on lo here: $(cat "$MC_TMP/$name.tcpdump.log")"
	fi
	tsql_rc=0
	printf "SELECT N'%s' AS marker\nGO\n" "$marker" |
		MSSQL_HOST=$host MSSQL_PORT=$port MSSQL_PASSWORD=$password \
		mc_tsql "$enc" -D master >"$MC_TMP/$name.out" 2>&1 || tsql_rc=$?
	sleep 1 # let the last segments reach tcpdump before it stops
	kill -INT "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

# find_forms PCAP: print which forms of the password and of the marker
# occur, and whether a TLS handshake travelled in TDS PRELOGIN (0x12)
# packets; then the number of bytes captured.
find_forms()
{
	perl -e '
		my ($file, $pw, $marker) = @ARGV;
		open my $fh, "<:raw", $file or die "$file: $!";
		local $/; my $cap = <$fh>;
		my $ucs2 = join "", map { $_ . "\0" } split //, $pw;
		my $obf = join "", map { my $b = ord; chr(((($b << 4) | ($b >> 4)) & 0xff) ^ 0xA5) } split //, $ucs2;
		my $m2 = join "", map { $_ . "\0" } split //, $marker;
		my @found;
		push @found, "password-ascii" if index($cap, $pw) >= 0;
		push @found, "password-ucs2" if index($cap, $ucs2) >= 0;
		push @found, "password-obfuscated" if index($cap, $obf) >= 0;
		push @found, "marker" if index($cap, $m2) >= 0;
		push @found, "tls-handshake" if $cap =~ /\x12[\x00\x01].{6}\x16\x03[\x01-\x04]/s;
		print join(" ", @found), "\n", length($cap), "\n";
	' "$1" "$password" "$marker"
}

# 1. Encryption required: full TLS.  Nothing readable.
capture require "$tls_port" require
tc_eq "encryption=require: tsql logged in and ran the query" 0 "$tsql_rc"
tc_match "encryption=require: query result arrived" "$marker" "$(cat "$MC_TMP/require.out")"
forms=$(find_forms "$MC_TMP/require.pcap" | head -n 1)
tc_match "encryption=require: the capture holds the session (TLS handshake seen)" 'tls-handshake' "$forms"
tc_eq "encryption=require: no password (ASCII, UCS-2, obfuscated) and no query text" \
	"tls-handshake" "$forms"

# 2. Control: no TLS.  The same capture must see the obfuscated password and
# the query text, or the check above proves nothing.
if [ "${MSSQL_SIM:-0}" = 1 ]; then
	capture clear "$clear_port" request
else
	capture clear "$clear_port" off
fi
if [ "$tsql_rc" -ne 0 ] && [ "${MSSQL_SIM:-0}" != 1 ]; then
	echo "# control skipped: the server refuses unencrypted logins"
else
	tc_eq "control without TLS: tsql logged in" 0 "$tsql_rc"
	forms=$(find_forms "$MC_TMP/clear.pcap" | head -n 1)
	tc_match "control without TLS: obfuscated password visible in the capture" \
		'password-obfuscated' "$forms"
	tc_match "control without TLS: query text visible in the capture" 'marker' "$forms"
fi

# 3. Stand-in only: "request" against a server with a certificate encrypts the
# login packet only (MS-TDS ENCRYPT_OFF): password hidden, later traffic clear.
if [ "${MSSQL_SIM:-0}" = 1 ]; then
	capture loginonly "$tls_port" request
	tc_eq "encryption=request, login-only TLS: tsql logged in" 0 "$tsql_rc"
	forms=$(find_forms "$MC_TMP/loginonly.pcap" | head -n 1)
	tc_eq "encryption=request, login-only TLS: handshake seen, password hidden, query in clear" \
		"marker tls-handshake" "$forms"
fi

tc_done
