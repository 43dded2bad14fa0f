# The two commands of the README; each installs what is missing first (scripts/install.sh),
# and is quick when everything is installed. Without make: bash scripts/demo.sh, bash scripts/test.sh.
.PHONY: demo test install

demo:
	bash scripts/demo.sh

test:
	bash scripts/test.sh

install:
	bash scripts/install.sh full
