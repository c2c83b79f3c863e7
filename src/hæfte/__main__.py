"""``python -m hæfte``: the same command line as the ``hæfte`` script."""

from hæfte.cli import main

if __name__ == "__main__":
    main()
