# zsh -f zc.zsh SCRIPT LINE...: in an interactive zsh with SCRIPT loaded,
# completes each LINE with one TAB and prints the line that results.
zmodload zsh/zpty
script=$1; shift
cr=$'\r'
zpty z zsh -f -i
# Reads the pty until $1 (a pattern) has been seen, for at most 10 s.
await() {
  local acc= chunk i
  for i in {1..200}; do
    zpty -r -t z chunk && acc+=$chunk
    [[ $acc == $~1 ]] && { REPLY=$acc; return 0 }
    sleep 0.05
  done
  print -u2 "timed out waiting for $1: ${(V)acc}"; exit 1
}
zpty -w z "PS1='%% '; bindkey -e; autoload -U compinit; compinit -u -D; source ${(q)script}; print DONE\$((6*7))"
await '*DONE42*'
for line in "$@"; do
  zpty -w -n z "$line"$'\t'
  sleep 0.5
  zpty -w z $'\x01'"print -r RESULT\$((6*7)):"
  await "*RESULT42:*${cr}*"
  print -r -- "${${REPLY##*RESULT42:}%%$'\r'*}"
done
zpty -d z
