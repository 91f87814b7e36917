"""The repair stage through the command line, on real files."""

import json

from chipclean.cli import main


def thai_lossy(text):
    raw = bytes(b for b in text.encode("utf-8") if not 0x80 <= b <= 0x9F)
    return raw.decode("tis_620", "ignore").replace("\u00a0", " ")


def test_cli_repairs_and_audits_each_codec_chain(runner, tmp_path):
    src = tmp_path / "in.txt"
    gbk = "我们市场今天".encode("utf-8").decode("gbk")
    src.write_text(f"{gbk}\n{thai_lossy('⚡ Quick take')}\n{thai_lossy('📰 Weekly')}\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    audit = tmp_path / "audit.jsonl"
    result = runner.invoke(
        main,
        ["clean", str(src), "-o", str(out), "--only", "repair", "--unrecoverable", "replace",
         "--audit", str(audit), "-q"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == "我们市场今天\n⚡ Quick take\n\ufffd Weekly\n"
    edits = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
    by_rule = {e["rule"]: e for e in edits}
    assert set(by_rule) == {"repair.cjk-mojibake", "repair.thai-lossy", "repair.unrecoverable"}
    assert "gbk" in by_rule["repair.cjk-mojibake"]["note"]
    assert "confidence" in by_rule["repair.thai-lossy"]["note"]
    assert by_rule["repair.unrecoverable"]["before"].startswith("๐")
    assert src.read_text(encoding="utf-8").startswith(gbk)  # input untouched


def test_cli_leaves_clean_multilingual_file_byte_identical(runner, tmp_path):
    text = "芯片“旗舰”发布，售价１９９９元！\nThe firm’s “flagship” chip — finally.\nวันนี้ตลาดหุ้นปรับตัวขึ้นเล็กน้อย\n"
    src = tmp_path / "clean.txt"
    src.write_bytes(text.encode("utf-8"))
    result = runner.invoke(main, ["clean", str(src), "--only", "repair", "--check"], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_output_does_not_depend_on_hash_seed(tmp_path):
    import os
    import subprocess
    import sys

    gbk = "新闻免责声明：本站内容仅供参考。".encode("utf-8").decode("gbk", "replace")
    text = f"{gbk}\n{thai_lossy('• Read more →')}\n标题锟斤拷\n"
    outs = set()
    for seed in ("0", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        proc = subprocess.run(
            [sys.executable, "-m", "chipclean", "clean", "--only", "repair", "-q", "-j", "1", "-"],
            input=text.encode("utf-8"), capture_output=True, env=env, check=True,
        )
        outs.add(proc.stdout)
    assert len(outs) == 1
    assert outs.pop().decode("utf-8") == "新闻免责声明：本站内容仅供参考。\n• Read more →\n标题\n"
