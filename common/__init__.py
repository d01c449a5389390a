"""The leaf layer: what every other layer shares and that imports nothing of ours.

URL identity (``urls``), today in Beijing (``clock``), working days (``workdays``),
which unit answers for a URL (``units``), the shared vocabulary of findings
(``vocabulary``), the one YAML loader that reports file and line (``yamlfile``) and
text from pages made inert for terminals, spreadsheets and XML (``inert_text``).
"""
