"""What people read: plain sentences and labels in words (no rule logic: values come from the
registry's variables)."""
