"""S3 endpoint with boto3: ListBuckets, HeadBucket, ListObjectsV2 (prefix, delimiter, max-keys, paging)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from s3client import (REGION, SEEDED_BUCKETS, assert_s3_error, code_of, s3_client, s3_error,
                      status_of)
from sink_checks import md5_hex

BUCKET = "recordings-us"
PAGE_PREFIX = "page/"
TOTAL_KEYS = 1050
# Keys whose order or encoding trips up servers: case, punctuation, XML specials, '+', '%', space,
# the same word in NFC and NFD (two different S3 keys), a BMP char above the surrogates and an emoji
# (UTF-8 and UTF-16 order them differently), CJK, and a key that is a prefix of another.
SPECIAL_KEYS = [
    "page/Zebra", "page/apple", "page/-dash", "page/_under", "page/~tilde", "page/0999z",
    "page/caf\u00e9", "page/cafe\u0301", "page/\uff5ewide-tilde", "page/\U0001f600-emoji", "page/日本語",
    "page/with space", "page/plus+sign", "page/percent%41", "page/amp&lt<gt>\"q'", "page/deep/er/key",
]
TREE_KEYS = ["tree/a/1.txt", "tree/a/2.txt", "tree/b/x/1.txt", "tree/c.txt", "tree/d.txt"]


def utf8_order(keys) -> list[str]:
    return sorted(keys, key=lambda k: k.encode("utf-8"))


def put_many(client, bucket: str, keys: list[str]) -> None:
    """PutObject every key (body = the key's UTF-8 bytes), 8 at a time; fails naming the first errors."""
    def put(key: str):
        try:
            client.put_object(Bucket=bucket, Key=key, Body=key.encode("utf-8"))
            return None
        except Exception as e:  # noqa: BLE001 - reported below, with the key
            return f"{key!r}: {e}"
    with ThreadPoolExecutor(max_workers=8) as pool:
        failures = [f for f in pool.map(put, keys) if f]
    assert not failures, f"{len(failures)} of {len(keys)} PutObject calls failed, e.g. {failures[:3]}"


def listed_keys(pages) -> list[str]:
    return [o["Key"] for page in pages for o in page.get("Contents", [])]


@pytest.fixture(scope="module")
def page_keys(s3) -> list[str]:
    """1,050 keys under page/, written with PutObject; returned in UTF-8 binary order."""
    numbered = [f"{PAGE_PREFIX}{i:04d}" for i in range(TOTAL_KEYS - len(SPECIAL_KEYS))]
    keys = numbered + SPECIAL_KEYS
    assert len(set(keys)) == TOTAL_KEYS
    put_many(s3, BUCKET, keys)
    return utf8_order(keys)


@pytest.fixture(scope="module")
def tree(s3) -> list[str]:
    put_many(s3, BUCKET, TREE_KEYS)
    return TREE_KEYS


def test_list_buckets_names_the_seeded_buckets(s3):
    r = s3.list_buckets()
    names = {b["Name"] for b in r["Buckets"]}
    assert SEEDED_BUCKETS <= names, f"ListBuckets lacks {sorted(SEEDED_BUCKETS - names)}: {sorted(names)}"
    for b in r["Buckets"]:
        assert b.get("CreationDate"), f"bucket {b['Name']} has no CreationDate"


def test_head_bucket_finds_seeded_buckets_and_404s_an_unknown_one(s3):
    for name in sorted(SEEDED_BUCKETS):
        assert s3.head_bucket(Bucket=name)["ResponseMetadata"]["HTTPStatusCode"] == 200, name
    e = s3_error(s3.head_bucket, Bucket="no-such-bucket-here")
    assert status_of(e) == 404, f"HeadBucket of an unknown bucket should be 404, got {status_of(e)} {code_of(e)}"


def test_listing_an_unknown_bucket_is_no_such_bucket(s3):
    assert_s3_error(s3_error(s3.list_objects_v2, Bucket="no-such-bucket-here"), 404, "NoSuchBucket")


def test_any_signing_region_is_accepted_for_any_bucket(live):
    """The endpoint checks the signature with the region the client signed for; bucket regions are not enforced."""
    for region in ("us-east-1", REGION):
        client = s3_client(live.s3, region=region)
        for bucket in ("legal-discovery-eu", "recordings-us"):
            r = client.list_objects_v2(Bucket=bucket, MaxKeys=1)
            assert r["ResponseMetadata"]["HTTPStatusCode"] == 200, f"{region} client listing {bucket}: {r}"


def test_paginator_returns_every_key_once_in_utf8_order(s3, page_keys):
    pages = list(s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=PAGE_PREFIX))
    assert len(pages) == 2, f"1,050 keys at the default max-keys (1,000) should be 2 pages, got {len(pages)}"
    first, last = pages
    assert len(first.get("Contents", [])) == 1000 and first["IsTruncated"] is True, \
        f"first page: {len(first.get('Contents', []))} keys, IsTruncated={first.get('IsTruncated')}"
    assert first.get("NextContinuationToken"), "a truncated page has no NextContinuationToken"
    assert last["IsTruncated"] is False and not last.get("NextContinuationToken"), \
        "the last page should not be truncated nor carry a NextContinuationToken"
    got = listed_keys(pages)
    dupes = sorted({k for k in got if got.count(k) > 1})
    assert not dupes, f"keys listed more than once: {dupes[:5]}"
    missing = sorted(set(page_keys) - set(got))
    assert not missing, f"{len(missing)} keys never listed, e.g. {missing[:5]}"
    assert got == page_keys, "keys are not in UTF-8 binary order: first difference at " + \
        next(f"#{i}: {a!r} vs expected {b!r}" for i, (a, b) in enumerate(zip(got, page_keys)) if a != b)


def test_every_page_is_as_big_as_max_keys(s3, page_keys):
    pages = list(s3.get_paginator("list_objects_v2").paginate(
        Bucket=BUCKET, Prefix=PAGE_PREFIX, PaginationConfig={"PageSize": 100}))
    sizes = [len(p.get("Contents", [])) for p in pages]
    assert sizes == [100] * 10 + [50], f"page sizes at max-keys 100: {sizes}"
    assert [p["KeyCount"] for p in pages] == sizes, "KeyCount differs from the number of keys on the page"
    assert listed_keys(pages) == page_keys


def test_max_keys_and_continuation_token(s3, page_keys):
    one = s3.list_objects_v2(Bucket=BUCKET, Prefix=PAGE_PREFIX, MaxKeys=7)
    assert [o["Key"] for o in one["Contents"]] == page_keys[:7]
    assert (one["KeyCount"], one["MaxKeys"], one["IsTruncated"]) == (7, 7, True), \
        f"KeyCount/MaxKeys/IsTruncated: {one['KeyCount']}, {one['MaxKeys']}, {one['IsTruncated']}"
    two = s3.list_objects_v2(Bucket=BUCKET, Prefix=PAGE_PREFIX, MaxKeys=7,
                             ContinuationToken=one["NextContinuationToken"])
    assert [o["Key"] for o in two["Contents"]] == page_keys[7:14], "the continuation token did not resume after key #7"
    assert two.get("ContinuationToken") == one["NextContinuationToken"], "ContinuationToken is not echoed"


def test_start_after_skips_up_to_and_including_that_key(s3, page_keys):
    pivot = page_keys[500]
    got = listed_keys(s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=PAGE_PREFIX,
                                                                    StartAfter=pivot))
    assert got == page_keys[501:], f"StartAfter={pivot!r}: got {len(got)} keys, expected {len(page_keys) - 501}"
    between = "page/0500x"  # not a key: everything after it in byte order
    got = listed_keys(s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=PAGE_PREFIX,
                                                                    StartAfter=between))
    want = [k for k in page_keys if k.encode() > between.encode()]
    assert got == want, f"StartAfter={between!r}: got {len(got)} keys, expected {len(want)}"


def test_prefix_selects_exactly_the_keys_that_start_with_it(s3, page_keys):
    for prefix in ("page/00", "page/caf", "page/\U0001f600", "page/deep/"):
        got = listed_keys(s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix))
        want = [k for k in page_keys if k.startswith(prefix)]
        assert want, f"test set has no key under {prefix!r}"
        assert got == want, f"Prefix={prefix!r}: got {got[:5]}… ({len(got)}), expected {want[:5]}… ({len(want)})"


def test_nfc_and_nfd_spellings_are_two_different_keys(s3, page_keys):
    nfc, nfd = "page/caf\u00e9", "page/cafe\u0301"
    for key in (nfc, nfd):
        body = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
        assert body == key.encode("utf-8"), f"GetObject {key!r} returned the bytes of another key: {body!r}"


def test_listing_reports_size_and_etag_of_each_key(s3, page_keys):
    r = s3.list_objects_v2(Bucket=BUCKET, Prefix="page/amp")
    (obj,) = r["Contents"]
    body = obj["Key"].encode("utf-8")
    assert obj["Key"] == "page/amp&lt<gt>\"q'", f"XML specials in a key came back as {obj['Key']!r}"
    assert obj["Size"] == len(body)
    assert obj["ETag"] == f'"{md5_hex(body)}"', f"ETag {obj['ETag']} is not the quoted MD5 of the bytes"
    assert obj.get("LastModified"), "listing has no LastModified"


def test_delimiter_groups_keys_into_common_prefixes(s3, tree):
    r = s3.list_objects_v2(Bucket=BUCKET, Prefix="tree/", Delimiter="/")
    prefixes = [p["Prefix"] for p in r.get("CommonPrefixes", [])]
    keys = [o["Key"] for o in r.get("Contents", [])]
    assert prefixes == ["tree/a/", "tree/b/"], f"CommonPrefixes: {prefixes}"
    assert keys == ["tree/c.txt", "tree/d.txt"], f"Contents beside the common prefixes: {keys}"
    assert r.get("Delimiter") == "/" and r.get("Prefix") == "tree/"


def test_delimiter_pages_count_prefixes_and_keys_together(s3, tree):
    pages = list(s3.get_paginator("list_objects_v2").paginate(
        Bucket=BUCKET, Prefix="tree/", Delimiter="/", PaginationConfig={"PageSize": 1}))
    seen = [p["Prefix"] for page in pages for p in page.get("CommonPrefixes", [])] + listed_keys(pages)
    assert sorted(seen) == ["tree/a/", "tree/b/", "tree/c.txt", "tree/d.txt"], \
        f"paging one entry at a time with a delimiter gave {seen}"
    assert len(pages) == 4, f"max-keys 1 counts a common prefix as one entry: expected 4 pages, got {len(pages)}"


def test_empty_bucket_lists_nothing(s3):
    r = s3.list_objects_v2(Bucket="denied-bucket")
    assert r["KeyCount"] == 0 and not r.get("Contents") and r["IsTruncated"] is False, \
        f"denied-bucket should be empty: {r.get('KeyCount')} keys"
