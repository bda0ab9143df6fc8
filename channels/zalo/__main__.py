"""python -m channels.zalo set-webhook URL | delete-webhook | info"""

import sys

from channels.zalo.cli import main

if __name__ == "__main__":
    sys.exit(main())
