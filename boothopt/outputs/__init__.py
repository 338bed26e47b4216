"""Everything boothopt writes: drawings, lists, the assignment file."""
