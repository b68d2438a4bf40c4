# A stand-in for the official image nginx:1.22, used by docker/check-compose only when that image
# can be neither found nor pulled. Debian 12's nginx is 1.22.1; like the official image it reads
# /etc/nginx/conf.d/*.conf inside its http block, where compose.yaml mounts nginx-cluster.conf.
FROM debian:bookworm
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends nginx \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/default
EXPOSE 8080
CMD ["nginx", "-g", "daemon off;"]
