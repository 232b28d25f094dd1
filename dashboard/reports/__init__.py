"""What people read and download: values formatted by kind, table definitions, the pack and the files."""
