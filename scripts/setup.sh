# Sourced by ./pep and ./test.sh: installs what the endpoint and its tests need on a fresh machine.
# Idempotent; quick when everything is already there.
need_apt=()
command -v smbclient >/dev/null 2>&1 || need_apt+=(smbclient)
command -v smbd >/dev/null 2>&1 || need_apt+=(samba)
command -v tmux >/dev/null 2>&1 || need_apt+=(tmux)
# The three-host tests: etcd members (Debian's etcd 3.4), etcdctl, and network namespaces (ip netns).
command -v etcd >/dev/null 2>&1 || need_apt+=(etcd-server)
command -v etcdctl >/dev/null 2>&1 || need_apt+=(etcd-client)
command -v ip >/dev/null 2>&1 || need_apt+=(iproute2)
# The SSH front door: OpenSSH's sshd and client, libnss-extrausers (CloudAdmin accounts exist for sshd without
# being in /etc/passwd), and sshpass (the tests type a password into stock ssh).
[ -x /usr/sbin/sshd ] || need_apt+=(openssh-server)
command -v ssh >/dev/null 2>&1 || need_apt+=(openssh-client)
command -v sshpass >/dev/null 2>&1 || need_apt+=(sshpass)
ls /usr/lib/libnss_extrausers.so.2 >/dev/null 2>&1 || ls /usr/lib/*/libnss_extrausers.so.2 >/dev/null 2>&1 || need_apt+=(libnss-extrausers)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${need_apt[*]}" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "setup: missing ${need_apt[*]}; run as root once, or install them" >&2
  fi
fi
# libnss-extrausers answers only when nsswitch.conf names it (after the machine's own files).
if [ "$(id -u)" = 0 ] && ! grep -Eq '^passwd:.*extrausers' /etc/nsswitch.conf; then
  echo "setup: adding extrausers to the passwd line of /etc/nsswitch.conf" >&2
  sed -i -E 's/^(passwd:.*)$/\1 extrausers/' /etc/nsswitch.conf
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 POWERSHELL_TELEMETRY_OPTOUT=1 POWERSHELL_UPDATECHECK=Off
dotnet tool restore >/dev/null
