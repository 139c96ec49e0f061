# Sourced by tools/demo and tools/test: installs the Debian packages visiondb needs, only those
# missing, so that a second run costs one dpkg query.
VISIONDB_BUILD_PACKAGES=(
  g++ cmake ninja-build pkg-config ccache
  libtbb-dev libxsimd-dev libstb-dev libre2-dev nlohmann-json3-dev libedit-dev libcpp-httplib-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  sqlite3 libsqlite3-dev   # the SQL tests compare answers with SQLite's
)

visiondb_missing_packages() {
  local p missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  echo "${missing[@]}"
}

visiondb_install_packages() {
  local missing
  missing=$(visiondb_missing_packages "$@")
  [ -z "$missing" ] && return 0
  echo "visiondb: installing missing Debian packages: $missing" >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "visiondb: run as root or install: $missing" >&2; return 1; }
    sudo=sudo
  fi
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# visiondb_build <build-dir> [cmake args...]: configures (once) and builds out of tree.
visiondb_build() {
  local dir=$1; shift
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
  fi
  cmake --build "$dir" --parallel "$(nproc)"
}
