# free_port (sourced by tests/lib/services.sh and tests/e2e/lib.sh): prints a TCP port
# for a test server to listen on.
#
# The port is outside the kernel's ephemeral range (net.ipv4.ip_local_port_range), which
# outgoing connections take their local ports from: a port that one of them holds, even
# in TIME_WAIT, cannot be bound to listen on (EADDRINUSE, SO_REUSEADDR or not), and a
# listening-only check (`ss -l`) does not see it. A port any TCP socket uses, in any
# state, is skipped too.
free_port() {
  local low high first span p
  read -r low high < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || { low=32768 high=60999; }
  if [ $((low - 20000)) -ge 1024 ]; then
    first=20000 span=$((low - 20000))
  elif [ $((65535 - high)) -ge 1024 ]; then
    first=$((high + 1)) span=$((65535 - high))
  else
    first=20000 span=40000  # no room outside the range: the ss check below must do
  fi
  [ "$span" -le 32768 ] || span=32768  # $RANDOM's range
  while :; do
    p=$((first + RANDOM % span))
    if [ -z "$(ss -Htan "sport = :$p")" ]; then
      echo "$p"
      return
    fi
  done
}
