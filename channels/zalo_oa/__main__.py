"""python -m channels.zalo_oa new-key | set-tokens | check | refresh"""

import sys

from channels.zalo_oa.cli import main

if __name__ == "__main__":
    sys.exit(main())
