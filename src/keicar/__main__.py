from keicar.cli.main import main

main()
