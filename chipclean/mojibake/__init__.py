"""Mojibake repair beyond single-byte codecs.

``prior``     character plausibility derived from the structure of legacy codecs
``utf8search`` the most plausible UTF-8 reading of bytes with lost or unknown parts
``cjk``       UTF-8 that was decoded as GBK, Big5, Shift-JIS, EUC-KR or EUC-JP
``dbcs``      the same for Big5, EUC-KR and EUC-JP, whose decoders lose a byte per U+FFFD
``legacy``    GBK/Big5/Shift-JIS bytes that were shown as Latin-1 or cp1252
``thai``      UTF-8 read as Thai TIS-620 / cp874 with the C1 bytes dropped
``residue``   named rules for web residue (锟斤拷, half-decoded entities, <br />, …)
``htmlrefs``  lines whose only defect is character references, decoded as ftfy would
"""
