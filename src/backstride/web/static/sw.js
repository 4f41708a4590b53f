// backstride service worker: Today works offline once it has been loaded.
// Pages are fetched from the network first and kept; when the network is not
// there, the last copy is shown. Static files and exercise pictures are kept too.
"use strict";

var CACHE = "backstride-today-v1";
var SHELL = [
  "/today",
  "/static/app.css",
  "/static/app.js",
  "/static/session.js",
  "/static/manifest.webmanifest",
  "/static/icon.svg",
  "/static/icon-192.png",
  "/static/icon-512.png"
];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return cache.addAll(SHELL).catch(function () {});
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n !== CACHE; }).map(function (n) {
        return caches.delete(n);
      }));
    }).then(function () { return self.clients.claim(); })
  );
});

function keep(request, response) {
  if (response && response.ok && response.type === "basic") {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
  }
  return response;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var cacheable =
    url.pathname === "/today" ||
    url.pathname.indexOf("/static/") === 0 ||
    /^\/api\/v1\/exercises\/[^/]+\/illustration\.svg$/.test(url.pathname);
  if (!cacheable) return;
  event.respondWith(
    fetch(request).then(function (response) {
      return keep(request, response);
    }).catch(function () {
      return caches.match(request).then(function (hit) {
        return hit || caches.match(request, { ignoreSearch: true }).then(function (any) {
          return any || caches.match("/today");
        });
      });
    })
  );
});
