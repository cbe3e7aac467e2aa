# SPDX-License-Identifier: Apache-2.0
# Warnings are errors for every target of ours.
set(SLUICE_WARNING_FLAGS -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor -Wimplicit-fallthrough)
