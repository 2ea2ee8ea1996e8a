#!/usr/bin/env bash
# Makes (once) the Python venv with the peer implementations the cross-check
# tests compare against, and prints the path of its interpreter.
# Peers: negmas (deal-space analysis, negotiation), decide-exchange-model
# (the exchange model), SALib (Sobol indices) and ema-workbench (PRIM) for
# the robustness studies, and pygambit (Gambit's Python API) for the staged
# games of `detente export-game`. Pinned for reproducible comparisons; bump
# deliberately, and bump the stamp's number so existing venvs update.
#
# decide-exchange-model 2022.1.28 pins numpy==1.23.4, pandas==1.5.0,
# matplotlib==3.6.0 and PyQt5 for its GUI and plots; a plain install would
# downgrade negmas's numpy 2 under it. Its model and table reader need only
# typesystem and peewee, so it is installed without dependencies, with
# those two pinned beside it (benches/decide_peer.py imports nothing else).
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${DETENTE_PEER_VENV:-$PWD/.venv-peers}"
stamp="$venv/.detente-peers-5"
if [ ! -f "$stamp" ]; then
  python3 -m venv "$venv" >&2
  pip=("$venv/bin/pip" install --quiet --disable-pip-version-check)
  "${pip[@]}" "negmas==0.16.0" >&2
  "${pip[@]}" --no-deps "decide-exchange-model==2022.1.28" "typesystem==0.2.5" "peewee==3.17.9" >&2
  # SALib 1.5.1 calls pd.unique on a list, which pandas 3 refuses: pandas 2.2.3.
  "${pip[@]}" "SALib==1.5.1" "ema-workbench==2.5.2" "pandas==2.2.3" >&2
  # pygambit 17.0.0b2 (a beta) is the only pygambit release with Linux
  # (manylinux) wheels; 16.x ships only Windows wheels and the sdist, whose
  # build compiles Gambit's C++ for about 30 minutes on two shared cores. The
  # release needs Python 3.11 or later. Its redesigned API (histories instead
  # of node objects) is what benches/gambit_game_peer.py is written for.
  "${pip[@]}" "pygambit==17.0.0b2" >&2
  "$venv/bin/python" -c "import decide.model.equalgain, decide.data.reader, decide.data.modelfactory" >&2
  "$venv/bin/python" -c "import SALib.analyze.sobol, ema_workbench.analysis.prim" >&2
  "$venv/bin/python" -c "import pygambit" >&2
  touch "$stamp"
fi
echo "$venv/bin/python"
