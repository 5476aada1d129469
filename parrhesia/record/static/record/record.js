// Parrhesia: check the public record in the browser (docs/record.md).
// - the signed checkpoint (C2SP signed note, Ed25519) against the organisation's verifier key;
// - RFC 9162 §2.1.4.2 consistency from the checkpoint this browser verified last (localStorage);
// - RFC 9162 §2.1.3.2 inclusion of an entry, on an entry's page.
"use strict";

(function () {
  const encoder = new TextEncoder();

  function fromBase64(text) {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  function toBase64(bytes) {
    let binary = "";
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  }

  function concat(...parts) {
    const total = parts.reduce((n, p) => n + p.length, 0);
    const out = new Uint8Array(total);
    let offset = 0;
    for (const p of parts) { out.set(p, offset); offset += p.length; }
    return out;
  }

  function equal(a, b) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  async function sha256(bytes) {
    return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  }

  const leafHash = (entry) => sha256(concat(Uint8Array.of(0), entry));
  const nodeHash = (left, right) => sha256(concat(Uint8Array.of(1), left, right));

  // RFC 9162 §2.1.3.2
  async function rootFromInclusion(leaf, index, size, proof) {
    if (index >= size) throw new Error("index beyond the tree");
    let fn = index, sn = size - 1, r = leaf;
    for (const p of proof) {
      if (sn === 0) throw new Error("proof too long");
      if ((fn & 1) === 1 || fn === sn) {
        r = await nodeHash(p, r);
        if ((fn & 1) === 0) {
          while ((fn & 1) === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
        }
      } else {
        r = await nodeHash(r, p);
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    if (sn !== 0) throw new Error("proof too short");
    return r;
  }

  // RFC 9162 §2.1.4.2
  async function verifyConsistency(first, second, firstHash, secondHash, proof) {
    if (first > second) return false;
    if (first === second) return proof.length === 0 && equal(firstHash, secondHash);
    if (first === 0) return true;
    if (proof.length === 0) return false;
    let path = proof.slice();
    if ((first & (first - 1)) === 0) path = [firstHash].concat(path);
    let fn = first - 1, sn = second - 1;
    while ((fn & 1) === 1) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    let fr = path[0], sr = path[0];
    for (const c of path.slice(1)) {
      if (sn === 0) return false;
      if ((fn & 1) === 1 || fn === sn) {
        fr = await nodeHash(c, fr);
        sr = await nodeHash(c, sr);
        if ((fn & 1) === 0) {
          while ((fn & 1) === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
        }
      } else {
        sr = await nodeHash(sr, c);
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    return sn === 0 && equal(fr, firstHash) && equal(sr, secondHash);
  }

  // C2SP signed note + tlog-checkpoint, with an Ed25519 verifier key NAME+HASH+BASE64(0x01‖key).
  async function openCheckpoint(note, verifierKey) {
    // NAME+HASH+KEY: split on the first two "+" only, since base64 may contain "+".
    const first = verifierKey.indexOf("+");
    const second = verifierKey.indexOf("+", first + 1);
    if (first < 0 || second < 0) throw new Error("malformed verifier key");
    const name = verifierKey.slice(0, first);
    const hashHex = verifierKey.slice(first + 1, second);
    const keyB64 = verifierKey.slice(second + 1);
    const keyBytes = fromBase64(keyB64);
    if (keyBytes.length !== 33 || keyBytes[0] !== 1) throw new Error("not an Ed25519 verifier key");
    const expectedHash = (await sha256(concat(encoder.encode(name + "\n"), keyBytes))).slice(0, 4);
    if (!equal(expectedHash, hexBytes(hashHex))) throw new Error("the verifier key's hash is wrong");
    const split = note.indexOf("\n\n");
    if (split < 0) throw new Error("malformed note");
    const body = note.slice(0, split + 1);
    const signatures = note.slice(split + 2).split("\n").filter((line) => line.length > 0);
    const key = await crypto.subtle.importKey("raw", keyBytes.slice(1), { name: "Ed25519" }, false, ["verify"]);
    let verified = false;
    for (const line of signatures) {
      const match = /^\u2014 (\S+) (\S+)$/.exec(line);
      if (!match || match[1] !== name) continue;
      const signature = fromBase64(match[2]);
      if (!equal(signature.slice(0, 4), expectedHash)) continue;
      if (await crypto.subtle.verify({ name: "Ed25519" }, key, signature.slice(4), encoder.encode(body))) {
        verified = true;
      }
    }
    const lines = body.split("\n");
    return { verified, origin: lines[0], size: Number(lines[1]), root: fromBase64(lines[2]) };
  }

  function hexBytes(hex) {
    const bytes = new Uint8Array(hex.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
    return bytes;
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, (_, name) => String(values[name]));
  }

  function report(box, message, state) {
    const status = box.querySelector("[role=status]");
    box.classList.remove("checking", "ok", "bad");
    box.classList.add(state);
    if (state === "bad") status.setAttribute("role", "alert");
    status.textContent = message;
  }

  async function checkCheckpoint(box) {
    const messages = box.dataset;
    report(box, messages.msgChecking, "checking");
    if (!window.crypto || !crypto.subtle) { report(box, messages.msgUnsupported, "bad"); return; }
    const response = await fetch(messages.checkpointUrl, { credentials: "same-origin" });
    if (!response.ok) throw new Error("HTTP " + response.status);
    const current = await response.json();
    const storageKey = "parrhesia.record." + current.origin;
    const stored = JSON.parse(localStorage.getItem(storageKey) || "null");
    if (stored && stored.verifier_key !== current.verifier_key) {
      report(box, messages.msgKeyChanged, "bad");
      return;
    }
    let opened;
    try {
      opened = await openCheckpoint(current.note, current.verifier_key);
    } catch (error) {
      if (error && error.name === "NotSupportedError") { report(box, messages.msgUnsupported, "bad"); return; }
      throw error;
    }
    if (!opened.verified || opened.origin !== current.origin) { report(box, messages.msgBadSignature, "bad"); return; }
    let message = messages.msgOkFirst;
    if (stored) {
      const oldRoot = fromBase64(stored.root);
      let consistent;
      if (stored.size === opened.size) {
        consistent = equal(oldRoot, opened.root);
        message = messages.msgSame;
      } else if (stored.size > opened.size) {
        consistent = false;
      } else {
        const url = messages.consistencyUrl + "?old=" + stored.size + "&new=" + opened.size;
        const proofResponse = await fetch(url, { credentials: "same-origin" });
        const proof = proofResponse.ok ? await proofResponse.json() : { proof: [] };
        consistent = await verifyConsistency(
          stored.size, opened.size, oldRoot, opened.root, proof.proof.map(fromBase64));
        message = format(messages.msgOkConsistent, { old: stored.size });
      }
      if (!consistent) { report(box, format(messages.msgInconsistent, { old: stored.size }), "bad"); return; }
    }
    localStorage.setItem(storageKey, JSON.stringify({
      size: opened.size, root: toBase64(opened.root), verifier_key: current.verifier_key,
    }));
    report(box, message, "ok");
  }

  async function checkInclusion(box) {
    const entry = encoder.encode(document.getElementById("entry-bytes").textContent);
    const proof = box.dataset.proof ? box.dataset.proof.split(" ").map(fromBase64) : [];
    let ok = false;
    try {
      const root = await rootFromInclusion(
        await leafHash(entry), Number(box.dataset.index), Number(box.dataset.size), proof);
      ok = equal(root, fromBase64(box.dataset.root));
    } catch (error) {
      ok = false;
    }
    report(box, ok ? box.dataset.msgOk : box.dataset.msgBad, ok ? "ok" : "bad");
  }

  document.addEventListener("DOMContentLoaded", () => {
    const checkpointBox = document.getElementById("record-verification");
    if (checkpointBox) {
      checkCheckpoint(checkpointBox).catch((error) => {
        report(checkpointBox, checkpointBox.dataset.msgError + " " + error.message, "bad");
      });
    }
    const inclusionBox = document.getElementById("inclusion-proof");
    if (inclusionBox) checkInclusion(inclusionBox);
  });
})();
