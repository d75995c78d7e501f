#!/usr/bin/env bash
# Installs Hark as a systemd user service (packaging/hark.service) for the current user, and starts it.
# Usage: scripts/install-service.sh [--binary PATH] [--unit-dir DIR] [--no-start]
#   --binary PATH   the hark executable to run (default: .build/release/hark, built if missing)
#   --unit-dir DIR  where the unit goes (default: ~/.config/systemd/user)
#   --no-start      write and check the unit only; do not call systemctl
# Afterwards: systemctl --user status hark; journalctl --user -u hark; systemctl --user reload hark.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary=""
unit_dir="${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user"
start=1
while (($#)); do
  case "$1" in
    --binary) binary="$2"; shift 2 ;;
    --unit-dir) unit_dir="$2"; shift 2 ;;
    --no-start) start=0; shift ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-service: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

if [ -z "$binary" ]; then
  binary="$root/.build/release/hark"
  if [ ! -x "$binary" ]; then
    echo "install-service: building hark (release)"
    (cd "$root" && swift build -c release --product hark)
  fi
fi
[ -x "$binary" ] || { echo "install-service: '$binary' is not an executable" >&2; exit 1; }
binary="$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")"

mkdir -p "$unit_dir"
unit="$unit_dir/hark.service"
sed "s|@HARK_BINARY@|$binary|" "$root/packaging/hark.service" > "$unit"
echo "install-service: wrote $unit (ExecStart=$binary listen --no-demo)"

# Check the unit: as a user unit where a user manager runs, else its syntax alone (containers, CI).
if command -v systemd-analyze >/dev/null; then
  problems="$(systemd-analyze --user verify "$unit" 2>&1)" || problems="$(systemd-analyze verify "$unit" 2>&1)" || true
  if [ -n "$problems" ]; then
    echo "install-service: systemd-analyze finds problems in $unit:" >&2
    echo "$problems" >&2
    exit 1
  fi
fi

if ((start)); then
  systemctl --user daemon-reload
  systemctl --user enable --now hark.service
  echo "install-service: started; 'systemctl --user status hark' shows it, 'journalctl --user -u hark' its log"
fi
