import http.client, hashlib, socket, sys, time
port = int(sys.argv[1])
body = b"x" * 100000
digest = "sha256:" + hashlib.sha256(body).hexdigest()
c = http.client.HTTPConnection("127.0.0.1", port)
n = 0
def req(method, path, body=None, headers={}, chunked=False):
    global n
    c.request(method, path, body=body, headers=headers, encode_chunked=chunked)
    r = c.getresponse(); r.read(); n += 1
    return r
r = req("POST", "/v2/framer/blobs/uploads/")
loc = r.headers["Location"]
def pieces():            # odd chunk sizes, so chunk lines straddle reads
    for i in range(0, len(body), 7777):
        yield body[i:i+7777]
r = req("PATCH", loc, body=pieces(), headers={"Content-Type": "application/octet-stream"}, chunked=True)
assert r.status == 202, r.status
loc = r.headers["Location"]
r = req("PUT", loc + ("&" if "?" in loc else "?") + "digest=" + digest, body=b"", headers={"Content-Length": "0"})
assert r.status == 201, r.status
r = req("HEAD", "/v2/framer/blobs/" + digest); assert r.status == 200
# Monolithic: POST + PUT with Content-Length body
r = req("POST", "/v2/framer/blobs/uploads/"); loc = r.headers["Location"]
r = req("PUT", loc + "&digest=" + digest, body=body, headers={"Content-Length": str(len(body))}); assert r.status in (201,), r.status
# Raw: three pipelined GETs sent one byte at a time.
s = socket.create_connection(("127.0.0.1", port)); s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
raw = b"GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\nGET /v2/_catalog HTTP/1.1\r\nHost: x\r\n\r\nHEAD /v2/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
for b in raw:
    s.send(bytes([b]))
data = b""
while True:
    d = s.recv(65536)
    if not d: break
    data += d
assert data.count(b"HTTP/1.1 200") == 3, data
n += 3
print(n)
