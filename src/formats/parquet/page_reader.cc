// SPDX-License-Identifier: Apache-2.0
// Placeholder: filled in by the page_reader work.
