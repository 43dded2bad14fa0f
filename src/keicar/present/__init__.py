"""What people read: plain sentences, labels in words, maps and report pages (no rule logic:
the answers come from the registry's variables)."""
