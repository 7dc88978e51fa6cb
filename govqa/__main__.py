from govqa.cli import main

main()
