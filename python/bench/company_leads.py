"""company_leads from Python, timed: the script `company_leads.sh` runs it
under /usr/bin/time against the command. Arguments: the generated lake's
folder (lake/, ipdb/*.mmdb, ipdb/overrides.csv) and as_of."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import datafusion

import leadlake


def main(folder: str, as_of: str) -> None:
    root = Path(folder)
    ctx = datafusion.SessionContext()
    config = leadlake.Config(
        ipdb=sorted(str(p) for p in (root / "ipdb").glob("*.mmdb")),
        overrides=root / "ipdb" / "overrides.csv",
    )
    started = time.perf_counter()
    leadlake.register(ctx, config)
    leadlake.register_lake(ctx, root / "lake")
    table = leadlake.run(ctx, "company_leads", as_of=as_of).to_arrow_table()
    print(f"python: {table.num_rows} rows in {time.perf_counter() - started:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
