#!/usr/bin/env python3
"""Static checks of the iOS package and XcodeGen project that need no Xcode.

- ios/project.yml parses; its local package folder has a Package.swift; every product the app
  uses is a library of that package; the app target's name does not clash with a package module;
  every source folder exists;
- the usage strings iOS requires are present for the APIs the app calls (camera, Face ID);
- every path in Package.swift exists, except the generated Sources/Tessera;
- the scheme built by .github/workflows/ios.yml is a target of project.yml with a scheme.
Prints "ok"/"FAIL" lines; exit status 1 when any fails. Needs PyYAML.
"""
import pathlib
import re
import sys

import yaml

ios = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "ios")
workflow = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else ".github/workflows/ios.yml")
failed = 0


def report(ok, name, detail=""):
    global failed
    print(("ok    " if ok else "FAIL  ") + name)
    if not ok:
        failed += 1
        for line in str(detail).strip().splitlines():
            print("      " + line)


spec = yaml.safe_load((ios / "project.yml").read_text())
package_swift = (ios / "Package.swift").read_text()
libraries = set(re.findall(r'\.library\(name:\s*"([^"]+)"', package_swift))
modules = set(re.findall(r'\.(?:target|testTarget|binaryTarget)\(\s*name:\s*"([^"]+)"', package_swift)) | {"TesseraFFI"}

problems = []
for name, pkg in (spec.get("packages") or {}).items():
    if not (ios / pkg.get("path", "") / "Package.swift").is_file():
        problems.append(f"package {name}: no Package.swift at {pkg.get('path')}")
targets = spec.get("targets") or {}
for tname, target in targets.items():
    if tname in modules:
        problems.append(f"target {tname} has the name of a package module (module clash)")
    for dep in target.get("dependencies", []):
        if "package" in dep and dep.get("product") not in libraries:
            problems.append(f"target {tname}: product {dep.get('product')} is not a library of Package.swift ({sorted(libraries)})")
    for src in target.get("sources", []):
        path = src["path"] if isinstance(src, dict) else src
        if not (ios / path).exists():
            problems.append(f"target {tname}: source folder {path} missing")
report(targets and not problems, f"ios: project.yml's {len(targets)} target(s) use existing sources and package products", "\n".join(problems))

needs = {"NSCameraUsageDescription": r"AVCaptureDevice|AVCaptureSession", "NSFaceIDUsageDescription": r"LAContext|evaluatePolicy"}
code = "\n".join(p.read_text() for t in targets.values() for s in t.get("sources", [])
                 for p in (ios / (s["path"] if isinstance(s, dict) else s)).rglob("*.swift"))
missing = []
for tname, target in targets.items():
    props = (target.get("info") or {}).get("properties") or {}
    for key, api in needs.items():
        if re.search(api, code) and not str(props.get(key, "")).strip():
            missing.append(f"{tname}: the code uses {api.split('|')[0]} but Info.plist has no {key}")
report(not missing, "ios: Info.plist has the usage strings for the camera and Face ID the app uses", "\n".join(missing))

paths = re.findall(r'path:\s*"([^"]+)"', package_swift)
absent = [p for p in paths if not (ios / p).exists() and p not in ("Sources/Tessera", "TesseraFFI.xcframework")]
report(paths and not absent, f"ios: the {len(paths)} paths in Package.swift exist (besides generated ones)", " ".join(absent))

flow = workflow.read_text()
schemes = re.findall(r"-scheme\s+(\S+)", flow)
with_scheme = {n for n, t in targets.items() if "scheme" in t}
report(schemes and all(s in with_scheme for s in schemes), "ios: the workflow builds a scheme project.yml defines",
       f"workflow: {schemes}, project.yml: {sorted(with_scheme)}")
sys.exit(1 if failed else 0)
