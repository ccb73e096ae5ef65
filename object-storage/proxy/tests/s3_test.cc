// The S3 API: AWS Signature V4 against the AWS documentation's examples, and S3 requests
// (signed here as a client would) through the proxy's test cloud.
#include <catch2/catch.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "object-storage/proxy/s3_chunked.h"
#include "object-storage/proxy/s3_signature.h"
#include "object-storage/proxy/s3_xml.h"
#include "object-storage/proxy/tests/proxy_cloud.h"

namespace gureum::object::proxy {
namespace {

constexpr char kAwsSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr char kEmptySha[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

SigV4Request Example(std::vector<std::string> signed_headers, const std::string& payload) {
  SigV4Request sig;
  sig.access = "AKIAIOSFODNN7EXAMPLE";
  sig.date = "20130524";
  sig.region = "us-east-1";
  sig.service = "s3";
  sig.amz_date = "20130524T000000Z";
  sig.signed_headers = std::move(signed_headers);
  sig.payload_hash = payload;
  return sig;
}

std::string Sign(const SignedParts& parts, const SigV4Request& sig, const std::string& secret) {
  return SigV4Signature(secret, sig, StringToSign(sig, CanonicalRequest(parts, sig)));
}

TEST_CASE("s3 signature: the AWS documentation's examples", "[object][s3]") {
  const std::string host = "examplebucket.s3.amazonaws.com";
  // GET Object with a range.
  SigV4Request get = Example({"host", "range", "x-amz-content-sha256", "x-amz-date"}, kEmptySha);
  SignedParts parts{"GET",
                    "/test.txt",
                    {},
                    {{"host", host},
                     {"range", "bytes=0-9"},
                     {"x-amz-content-sha256", kEmptySha},
                     {"x-amz-date", "20130524T000000Z"}}};
  const std::string canonical = CanonicalRequest(parts, get);
  CHECK(canonical == absl::StrCat("GET\n/test.txt\n\nhost:", host,
                                  "\nrange:bytes=0-9\nx-amz-content-sha256:", kEmptySha,
                                  "\nx-amz-date:20130524T000000Z\n\n"
                                  "host;range;x-amz-content-sha256;x-amz-date\n",
                                  kEmptySha));
  CHECK(Sha256Hex(canonical) == "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  CHECK(Sign(parts, get, kAwsSecret) ==
        "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");

  // PUT Object: a payload, a key with '$'.
  const std::string payload = Sha256Hex("Welcome to Amazon S3.");
  CHECK(payload == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  SigV4Request put = Example(
      {"date", "host", "x-amz-content-sha256", "x-amz-date", "x-amz-storage-class"}, payload);
  SignedParts put_parts{"PUT",
                        "/test$file.text",
                        {},
                        {{"date", "Fri, 24 May 2013 00:00:00 GMT"},
                         {"host", host},
                         {"x-amz-content-sha256", payload},
                         {"x-amz-date", "20130524T000000Z"},
                         {"x-amz-storage-class", "REDUCED_REDUNDANCY"}}};
  CHECK(Sign(put_parts, put, kAwsSecret) ==
        "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");

  // GET Bucket lifecycle and list objects: query strings.
  SigV4Request list = Example({"host", "x-amz-content-sha256", "x-amz-date"}, kEmptySha);
  SignedParts lifecycle{
      "GET",
      "/",
      {{"lifecycle", ""}},
      {{"host", host}, {"x-amz-content-sha256", kEmptySha}, {"x-amz-date", "20130524T000000Z"}}};
  CHECK(Sign(lifecycle, list, kAwsSecret) ==
        "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
  SignedParts objects = lifecycle;
  objects.query = {{"prefix", "J"}, {"max-keys", "2"}};
  CHECK(Sign(objects, list, kAwsSecret) ==
        "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");

  // A presigned URL.
  absl::StatusOr<SigV4Request> presigned = ParsePresigned(
      {{"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
       {"X-Amz-Credential", "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"},
       {"X-Amz-Date", "20130524T000000Z"},
       {"X-Amz-Expires", "86400"},
       {"X-Amz-SignedHeaders", "host"},
       {"X-Amz-Signature", "x"}});
  REQUIRE(presigned.ok());
  SignedParts url{"GET",
                  "/test.txt",
                  {{"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
                   {"X-Amz-Credential", "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"},
                   {"X-Amz-Date", "20130524T000000Z"},
                   {"X-Amz-Expires", "86400"},
                   {"X-Amz-SignedHeaders", "host"},
                   {"X-Amz-Signature", "x"}},
                  {{"host", host}}};
  CHECK(Sign(url, *presigned, kAwsSecret) ==
        "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");

  absl::StatusOr<SigV4Request> header = ParseAuthorization(
      "AWS4-HMAC-SHA256 Credential=AK/20130524/us-east-1/s3/aws4_request, "
      "SignedHeaders=host;x-amz-date, Signature=abc");
  REQUIRE(header.ok());
  CHECK(header->access == "AK");
  CHECK(header->signed_headers == std::vector<std::string>{"host", "x-amz-date"});
  CHECK(header->signature == "abc");
  CHECK_FALSE(ParseAuthorization("AWS AK:sig").ok());
  CHECK(AwsUriEncode("a b/c~", true) == "a%20b/c~");
  CHECK(AwsUriEncode("a/b", false) == "a%2Fb");
}

TEST_CASE("s3 signature v2: the AWS documentation's examples", "[object][s3]") {
  SigV2Parts get{
      "GET", "", "", "Tue, 27 Mar 2007 19:36:42 +0000", {}, "/johnsmith/photos/puppy.jpg"};
  CHECK(SigV2StringToSign(get) ==
        "GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg");
  CHECK(SigV2Signature(kAwsSecret, SigV2StringToSign(get)) == "bWq2s1WEIj+Ydj0vQ697zp+IXMU=");
  SigV2Parts put{"PUT",        "",
                 "image/jpeg", "Tue, 27 Mar 2007 21:15:45 +0000",
                 {},           "/johnsmith/photos/puppy.jpg"};
  CHECK(SigV2Signature(kAwsSecret, SigV2StringToSign(put)) == "MyyxeRY7whkBe+bq8fHCL/2kKUg=");
  SigV2Parts presigned{"GET", "", "", "1175139620", {}, "/johnsmith/photos/puppy.jpg"};
  CHECK(SigV2Signature(kAwsSecret, SigV2StringToSign(presigned)) == "NpgCjnDzrM+WFzoENXmpNDUsSn8=");
  SigV2Parts sub{"GET",
                 "",
                 "",
                 "",
                 {{"x-amz-date", "d"}},
                 "/b/k",
                 {{"uploadId", "7"}, {"x", "y"}, {"acl", ""}}};
  CHECK(SigV2StringToSign(sub) == "GET\n\n\n\nx-amz-date:d\n/b/k?acl&uploadId=7");
}

TEST_CASE("s3 aws-chunked: the AWS documentation's example", "[object][s3]") {
  ChunkSigning signing{
      Example({"content-encoding", "content-length", "host", "x-amz-content-sha256", "x-amz-date",
               "x-amz-decoded-content-length", "x-amz-storage-class"},
              "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
      kAwsSecret, ""};
  SignedParts parts{"PUT",
                    "/examplebucket/chunkObject.txt",
                    {},
                    {{"content-encoding", "aws-chunked"},
                     {"content-length", "66824"},
                     {"host", "s3.amazonaws.com"},
                     {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"},
                     {"x-amz-date", "20130524T000000Z"},
                     {"x-amz-decoded-content-length", "66560"},
                     {"x-amz-storage-class", "REDUCED_REDUNDANCY"}}};
  signing.seed = Sign(parts, signing.sig, kAwsSecret);
  CHECK(signing.seed == "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");
  const std::string one(65536, 'a'), two(1024, 'a');
  const std::string sig1 = "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648";
  const std::string sig2 = "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497";
  const std::string sig3 = "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9";
  CHECK(SigV4ChunkSignature(kAwsSecret, signing.sig, signing.seed, Sha256Hex(one)) == sig1);
  const std::string body =
      absl::StrCat("10000;chunk-signature=", sig1, "\r\n", one, "\r\n400;chunk-signature=", sig2,
                   "\r\n", two, "\r\n0;chunk-signature=", sig3, "\r\n\r\n");
  CHECK(body.size() == 66824);
  absl::StatusOr<std::string> decoded = DecodeAwsChunked(body, signing);
  REQUIRE(decoded.ok());
  CHECK(*decoded == one + two);
  std::string tampered = body;
  tampered[200] = 'b';
  CHECK_FALSE(DecodeAwsChunked(tampered, signing).ok());
  CHECK_FALSE(DecodeAwsChunked(body.substr(0, 66000), signing).ok());
}

TEST_CASE("s3 xml: elements of a request body", "[object][s3]") {
  const std::string body =
      "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"a&amp;b\"</ETag></Part>"
      "<Part><PartNumber>2</PartNumber><ETag>c</ETag></Part></CompleteMultipartUpload>";
  std::vector<std::string> parts = XmlElements(body, "Part");
  REQUIRE(parts.size() == 2);
  CHECK(XmlElements(parts[0], "ETag") == std::vector<std::string>{"\"a&b\""});
  CHECK(XmlElements(parts[1], "PartNumber") == std::vector<std::string>{"2"});
}

// A client signing its requests with access key AK1 (project p1's) or another secret.
struct S3Client {
  Cloud& cloud;
  std::string secret = "SK1";
  std::string access = "AK1";
  absl::Duration skew;       // added to the time the request is signed at
  std::string payload_hash;  // signed instead of the body's own
  std::string host;          // sent and signed instead of 127.0.0.1:<port>

  httplib::Headers Headers(const std::string& method, const std::string& path,
                           const std::multimap<std::string, std::string>& query,
                           const std::string& body, httplib::Headers more = {}) {
    const std::string amz_date =
        absl::FormatTime("%Y%m%dT%H%M%SZ", absl::Now() + skew, absl::UTCTimeZone());
    SigV4Request sig;
    sig.access = access;
    sig.date = amz_date.substr(0, 8);
    sig.region = "us-east-1";
    sig.service = "s3";
    sig.amz_date = amz_date;
    sig.payload_hash = payload_hash.empty() ? Sha256Hex(body) : payload_hash;
    sig.signed_headers = {"host", "x-amz-content-sha256", "x-amz-date"};
    SignedParts parts{method,
                      path,
                      query,
                      {{"host", host.empty() ? "127.0.0.1:" + std::to_string(cloud.port) : host},
                       {"x-amz-content-sha256", sig.payload_hash},
                       {"x-amz-date", amz_date}}};
    const std::string signature = Sign(parts, sig, secret);
    more.emplace("X-Amz-Date", amz_date);
    more.emplace("X-Amz-Content-Sha256", sig.payload_hash);
    more.emplace("Authorization",
                 absl::StrCat("AWS4-HMAC-SHA256 Credential=", access, "/", sig.date,
                              "/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;"
                              "x-amz-date, Signature=",
                              signature));
    return more;
  }
  static std::string Url(const std::string& path,
                         const std::multimap<std::string, std::string>& query) {
    std::string url = path;
    char sep = '?';
    for (const auto& [k, v] : query) {
      absl::StrAppend(&url, std::string(1, sep), AwsUriEncode(k, false),
                      v.empty() ? "" : "=" + AwsUriEncode(v, false));
      sep = '&';
    }
    return url;
  }
  httplib::Result Send(const std::string& method, const std::string& path,
                       const std::multimap<std::string, std::string>& query = {},
                       const std::string& body = "", httplib::Headers more = {}) {
    httplib::Request req;
    req.method = method;
    req.path = Url(path, query);
    if (!host.empty()) more.emplace("Host", host);
    req.headers = Headers(method, path, query, body, std::move(more));
    req.body = body;
    if (method == "PUT" || method == "POST") req.set_header("Content-Type", "text/plain");
    return cloud.http->send(req);
  }
};

TEST_CASE("s3: who may call: signatures and access keys", "[object][s3]") {
  Cloud cloud;
  S3Client s3{cloud};
  auto r = cloud.http->Get("/");
  CHECK(r->status == 403);
  CHECK(r->body.find("<Code>AccessDenied</Code>") != std::string::npos);
  r = s3.Send("GET", "/");
  CHECK(r->status == 200);
  CHECK(r->body.find("<ListAllMyBucketsResult") != std::string::npos);
  S3Client wrong{cloud, "not-the-secret"};
  r = wrong.Send("GET", "/");
  CHECK(r->status == 403);
  CHECK(r->body.find("<Code>SignatureDoesNotMatch</Code>") != std::string::npos);
  S3Client unknown{cloud, "SK1", "AK-none"};
  r = unknown.Send("GET", "/");
  CHECK(r->body.find("<Code>InvalidAccessKeyId</Code>") != std::string::npos);
  // A body that is not the one signed is not kept.
  REQUIRE(s3.Send("PUT", "/b")->status == 200);
  S3Client liar{cloud};
  liar.payload_hash = Sha256Hex("other bytes");
  r = liar.Send("PUT", "/b/o", {}, "these bytes");
  CHECK(r->status == 400);
  CHECK(r->body.find("<Code>XAmzContentSHA256Mismatch</Code>") != std::string::npos);
  CHECK(s3.Send("GET", "/b/o")->status == 404);
  r = liar.Send("POST", "/b", {{"delete", ""}}, "<Delete></Delete>");
  CHECK(r->body.find("<Code>XAmzContentSHA256Mismatch</Code>") != std::string::npos);
  CHECK(s3.Send("PUT", "/b/o", {}, "these bytes")->status == 200);
  // An aws-chunked body, each chunk signed after the request's own signature.
  S3Client streaming{cloud};
  streaming.payload_hash = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
  httplib::Headers headers = streaming.Headers("PUT", "/b/chunked", {}, "");
  const std::string auth = headers.find("Authorization")->second;
  ChunkSigning signing;
  signing.sig = *ParseAuthorization(auth);
  signing.sig.amz_date = headers.find("X-Amz-Date")->second;
  std::string previous = auth.substr(auth.rfind('=') + 1), chunked;
  for (const std::string piece : {"first chunk, ", "second", ""}) {
    previous = SigV4ChunkSignature("SK1", signing.sig, previous, Sha256Hex(piece));
    absl::StrAppend(&chunked, absl::Hex(piece.size()), ";chunk-signature=", previous, "\r\n", piece,
                    "\r\n");
  }
  headers.emplace("X-Amz-Decoded-Content-Length", "19");
  headers.emplace("Content-Encoding", "aws-chunked");
  r = cloud.http->Put("/b/chunked", headers, chunked, "text/plain");
  CHECK(r->status == 200);
  CHECK(s3.Send("GET", "/b/chunked")->body == "first chunk, second");
  std::string forged = chunked;
  forged[forged.find("second")] = 'S';
  r = cloud.http->Put("/b/forged", headers, forged, "text/plain");
  CHECK(r->status == 403);
  CHECK(s3.Send("GET", "/b/forged")->status == 404);
  // The Swift API is still the Swift API.
  CHECK(cloud.http->Get("/info")->status == 200);
}

TEST_CASE("s3: presigned URLs and Signature V2 and the clock", "[object][s3]") {
  Cloud cloud;
  S3Client s3{cloud};
  REQUIRE(s3.Send("PUT", "/pre")->status == 200);
  REQUIRE(s3.Send("PUT", "/pre/o", {}, "presigned bytes")->status == 200);
  // V4, presigned for 60 s.
  const std::string amz_date = absl::FormatTime("%Y%m%dT%H%M%SZ", absl::Now(), absl::UTCTimeZone());
  std::multimap<std::string, std::string> query{
      {"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
      {"X-Amz-Credential", "AK1/" + amz_date.substr(0, 8) + "/us-east-1/s3/aws4_request"},
      {"X-Amz-Date", amz_date},
      {"X-Amz-Expires", "60"},
      {"X-Amz-SignedHeaders", "host"}};
  SigV4Request sig = *ParsePresigned({{"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
                                      {"X-Amz-Credential", query.find("X-Amz-Credential")->second},
                                      {"X-Amz-Date", amz_date},
                                      {"X-Amz-Expires", "60"},
                                      {"X-Amz-SignedHeaders", "host"},
                                      {"X-Amz-Signature", "x"}});
  query.emplace(
      "X-Amz-Signature",
      Sign({"GET", "/pre/o", query, {{"host", "127.0.0.1:" + std::to_string(cloud.port)}}}, sig,
           "SK1"));
  auto r = cloud.http->Get(S3Client::Url("/pre/o", query));
  CHECK(r->status == 200);
  CHECK(r->body == "presigned bytes");
  query.find("X-Amz-Expires")->second = "61";  // not what was signed
  CHECK(cloud.http->Get(S3Client::Url("/pre/o", query))->status == 403);

  // V2, in the header and presigned.
  const std::string date =
      absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT", absl::Now(), absl::UTCTimeZone());
  SigV2Parts v2{"GET", "", "", date, {}, "/pre/o"};
  r = cloud.http->Get(
      "/pre/o", {{"Date", date},
                 {"Authorization", "AWS AK1:" + SigV2Signature("SK1", SigV2StringToSign(v2))}});
  CHECK(r->status == 200);
  CHECK(r->body == "presigned bytes");
  r = cloud.http->Get(
      "/pre/o", {{"Date", date},
                 {"Authorization", "AWS AK1:" + SigV2Signature("no", SigV2StringToSign(v2))}});
  CHECK(r->body.find("<Code>SignatureDoesNotMatch</Code>") != std::string::npos);
  const std::string expires = std::to_string(absl::ToUnixSeconds(absl::Now()) + 60);
  v2.date = expires;
  r = cloud.http->Get(
      S3Client::Url("/pre/o", {{"AWSAccessKeyId", "AK1"},
                               {"Expires", expires},
                               {"Signature", SigV2Signature("SK1", SigV2StringToSign(v2))}}));
  CHECK(r->status == 200);

  // A request signed an hour ago.
  S3Client late{cloud};
  late.skew = absl::Hours(-1);
  r = late.Send("GET", "/pre/o");
  CHECK(r->body.find("<Code>RequestTimeTooSkewed</Code>") != std::string::npos);
}

TEST_CASE("s3: virtual-host style buckets", "[object][s3]") {
  CHECK(HostBucket("photos.s3.test:8080", "s3.test") == "photos");
  CHECK(HostBucket("S3.TEST", "s3.test").empty());
  CHECK(HostBucket("photos.s3.test", "").empty());
  Cloud cloud;
  S3Client vhost{cloud};
  vhost.host = "vb.s3.test:" + std::to_string(cloud.port);
  CHECK(vhost.Send("PUT", "/")->status == 200);
  CHECK(vhost.Send("PUT", "/dir/key", {}, "virtual")->status == 200);
  CHECK(vhost.Send("GET", "/dir/key")->body == "virtual");
  S3Client path{cloud};
  CHECK(path.Send("GET", "/vb/dir/key")->body == "virtual");
  auto r = vhost.Send("GET", "/", {{"list-type", "2"}});
  CHECK(r->body.find("<Key>dir/key</Key>") != std::string::npos);
  // Signature V2 signs the bucket as part of the path.
  const std::string date =
      absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT", absl::Now(), absl::UTCTimeZone());
  SigV2Parts v2{"GET", "", "", date, {}, "/vb/dir/key"};
  r = cloud.http->Get(
      "/dir/key", {{"Host", "vb.s3.test"},
                   {"Date", date},
                   {"Authorization", "AWS AK1:" + SigV2Signature("SK1", SigV2StringToSign(v2))}});
  CHECK(r->body == "virtual");
  CHECK(vhost.Send("DELETE", "/dir/key")->status == 204);
  CHECK(vhost.Send("DELETE", "/")->status == 204);
}

TEST_CASE("s3: buckets and objects and listings", "[object][s3]") {
  Cloud cloud;
  S3Client s3{cloud};
  auto made = s3.Send("PUT", "/bkt");
  INFO(made->body);
  CHECK(made->status == 200);
  CHECK(s3.Send("HEAD", "/bkt")->status == 200);
  CHECK(s3.Send("HEAD", "/nope")->status == 404);
  auto r = s3.Send("GET", "/nope");
  CHECK(r->body.find("<Code>NoSuchBucket</Code>") != std::string::npos);
  r = s3.Send("PUT", "/bkt/dir/a.txt", {}, "hello s3", {{"x-amz-meta-color", "blue"}});
  CHECK(r->status == 200);
  CHECK(r->get_header_value("ETag") == "\"" + Md5Hex("hello s3") + "\"");
  for (const char* key : {"/bkt/dir/b.txt", "/bkt/top.txt"}) {
    REQUIRE(s3.Send("PUT", key, {}, "x")->status == 200);
  }
  r = s3.Send("GET", "/bkt/dir/a.txt");
  CHECK(r->status == 200);
  CHECK(r->body == "hello s3");
  CHECK(r->get_header_value("x-amz-meta-color") == "blue");
  r = s3.Send("GET", "/bkt/dir/a.txt", {}, "", {{"Range", "bytes=6-7"}});
  CHECK(r->status == 206);
  CHECK(r->body == "s3");
  r = s3.Send("GET", "/bkt/dir/a.txt",
              {{"response-content-type", "text/csv"}, {"response-content-disposition", "inline"}});
  CHECK(r->get_header_value("Content-Type") == "text/csv");
  CHECK(r->get_header_value("Content-Disposition") == "inline");
  r = s3.Send("PUT", "/bkt/dir/a.txt", {}, "again", {{"If-None-Match", "*"}});
  CHECK(r->status == 412);
  CHECK(r->body.find("<Code>PreconditionFailed</Code>") != std::string::npos);
  r = s3.Send("GET", "/bkt/missing");
  CHECK(r->status == 404);
  CHECK(r->body.find("<Code>NoSuchKey</Code>") != std::string::npos);
  // Swift sees the same objects, in the credential's project's account.
  r = cloud.http->Get("/v1/AUTH_p1/bkt/dir/a.txt", cloud.As("t-p1"));
  CHECK(r->body == "hello s3");

  r = s3.Send("GET", "/bkt", {{"delimiter", "/"}});
  CHECK(r->status == 200);
  CHECK(r->body.find("<Prefix>dir/</Prefix>") != std::string::npos);
  CHECK(r->body.find("<Key>top.txt</Key>") != std::string::npos);
  CHECK(r->body.find("<Key>dir/a.txt</Key>") == std::string::npos);
  r = s3.Send("GET", "/bkt", {{"max-keys", "1"}});
  CHECK(r->body.find("<IsTruncated>true</IsTruncated>") != std::string::npos);
  CHECK(r->body.find("<NextMarker>dir/a.txt</NextMarker>") != std::string::npos);
  r = s3.Send("GET", "/bkt", {{"list-type", "2"}, {"prefix", "dir/"}, {"max-keys", "1"}});
  CHECK(r->body.find("<KeyCount>1</KeyCount>") != std::string::npos);
  CHECK(r->body.find("<Owner>") == std::string::npos);
  CHECK(r->body.find("<NextContinuationToken>dir/a.txt</NextContinuationToken>") !=
        std::string::npos);
  r = s3.Send("GET", "/bkt", {{"list-type", "2"}, {"fetch-owner", "true"}});
  CHECK(r->body.find("<Owner><ID>p1</ID>") != std::string::npos);
  r = s3.Send("GET", "/bkt",
              {{"list-type", "2"}, {"prefix", "dir/"}, {"continuation-token", "dir/a.txt"}});
  CHECK(r->body.find("<Key>dir/b.txt</Key>") != std::string::npos);
  CHECK(r->body.find("<IsTruncated>false</IsTruncated>") != std::string::npos);
  r = s3.Send("GET", "/bkt", {{"location", ""}});
  CHECK(r->body.find("LocationConstraint") != std::string::npos);

  r = s3.Send("PUT", "/bkt/copy.txt", {}, "", {{"x-amz-copy-source", "/bkt/dir/a.txt"}});
  CHECK(r->status == 200);
  CHECK(r->body.find("<CopyObjectResult") != std::string::npos);
  CHECK(s3.Send("GET", "/bkt/copy.txt")->body == "hello s3");

  r = s3.Send("DELETE", "/bkt");
  CHECK(r->status == 409);
  CHECK(r->body.find("<Code>BucketNotEmpty</Code>") != std::string::npos);
  r = s3.Send("POST", "/bkt", {{"delete", ""}},
              "<Delete><Object><Key>dir/a.txt</Key></Object><Object><Key>dir/b.txt</Key>"
              "</Object><Object><Key>top.txt</Key></Object></Delete>");
  CHECK(r->status == 200);
  CHECK(r->body.find("<Deleted><Key>dir/b.txt</Key></Deleted>") != std::string::npos);
  CHECK(s3.Send("DELETE", "/bkt/copy.txt")->status == 204);
  CHECK(s3.Send("DELETE", "/bkt/copy.txt")->status == 204);  // gone already: still 204
  CHECK(s3.Send("DELETE", "/bkt")->status == 204);
  CHECK(s3.Send("HEAD", "/bkt")->status == 404);
}

TEST_CASE("s3: a multipart upload becomes one object", "[object][s3]") {
  Cloud cloud;
  S3Client s3{cloud};
  REQUIRE(s3.Send("PUT", "/mp")->status == 200);
  auto r = s3.Send("POST", "/mp/big.bin", {{"uploads", ""}}, "", {{"x-amz-meta-origin", "test"}});
  REQUIRE(r->status == 200);
  std::vector<std::string> ids = XmlElements(r->body, "UploadId");
  REQUIRE(ids.size() == 1);
  const std::string upload = ids[0];
  const std::string part1(5 << 20, 'a'), part2 = "tail bytes";
  std::string complete = "<CompleteMultipartUpload>";
  int number = 0;
  for (const std::string* part : {&part1, &part2}) {
    ++number;
    r = s3.Send("PUT", "/mp/big.bin",
                {{"partNumber", std::to_string(number)}, {"uploadId", upload}}, *part);
    REQUIRE(r->status == 200);
    absl::StrAppend(&complete, "<Part><PartNumber>", number, "</PartNumber><ETag>",
                    r->get_header_value("ETag"), "</ETag></Part>");
  }
  complete += "</CompleteMultipartUpload>";
  r = s3.Send("GET", "/mp/big.bin", {{"uploadId", upload}});
  CHECK(XmlElements(r->body, "Part").size() == 2);
  r = s3.Send("GET", "/mp", {{"uploads", ""}});
  CHECK(r->body.find("<UploadId>" + upload + "</UploadId>") != std::string::npos);
  r = s3.Send("POST", "/mp/big.bin", {{"uploadId", upload}}, complete);
  REQUIRE(r->status == 200);
  const std::string md5s =
      absl::HexStringToBytes(Md5Hex(part1)) + absl::HexStringToBytes(Md5Hex(part2));
  const std::string etag = "\"" + Md5Hex(md5s) + "-2\"";
  CHECK(XmlElements(r->body, "ETag") == std::vector<std::string>{etag});
  r = s3.Send("GET", "/mp/big.bin");
  CHECK(r->status == 200);
  CHECK(r->body == part1 + part2);
  CHECK(r->get_header_value("ETag") == etag);
  CHECK(r->get_header_value("x-amz-meta-origin") == "test");
  r = s3.Send("GET", "/mp/big.bin", {}, "",
              {{"Range", absl::StrCat("bytes=", part1.size() - 2, "-", part1.size() + 1)}});
  CHECK(r->status == 206);
  CHECK(r->body == "aata");
  r = s3.Send("GET", "/mp");
  CHECK(r->body.find("<Size>" + std::to_string(part1.size() + part2.size()) + "</Size>") !=
        std::string::npos);
  CHECK(r->body.find("<ETag>" + XmlEscape(etag) + "</ETag>") != std::string::npos);
  // A second upload, aborted; a completed one's parts go with it.
  r = s3.Send("POST", "/mp/other", {{"uploads", ""}});
  const std::string aborted = XmlElements(r->body, "UploadId").at(0);
  CHECK(s3.Send("DELETE", "/mp/other", {{"uploadId", aborted}})->status == 204);
  r = s3.Send("PUT", "/mp/other", {{"partNumber", "1"}, {"uploadId", aborted}}, "x");
  CHECK(r->body.find("<Code>NoSuchUpload</Code>") != std::string::npos);
  // A copy holds the bytes; a new object at the key lets its parts go.
  r = s3.Send("PUT", "/mp/copy.bin", {}, "", {{"x-amz-copy-source", "mp/big.bin"}});
  CHECK(r->status == 200);
  CHECK(s3.Send("GET", "/mp/copy.bin")->body == part1 + part2);
  CHECK(s3.Send("PUT", "/mp/big.bin", {}, "small now")->status == 200);
  r = cloud.http->Get("/v1/AUTH_p1/mp+segments", cloud.As("t-p1"));
  CHECK(r->status == 204);  // no part left
  CHECK(s3.Send("GET", "/mp/big.bin")->body == "small now");
  CHECK(s3.Send("DELETE", "/mp/big.bin")->status == 204);
  CHECK(s3.Send("DELETE", "/mp/copy.bin")->status == 204);
  CHECK(s3.Send("DELETE", "/mp")->status == 204);
}

}  // namespace
}  // namespace gureum::object::proxy
