; kasou's demo guest: a multiboot v1 kernel (flat image with the address fields) that enters its
; own flat protected-mode setup, enables paging with 4 KiB and 4 MiB pages, runs a small CPU-bound
; workload and prints the results on the debug console (port 0xE9), then exits through the exit
; device (port 0xF4). It runs the same way in kasou and in
;   qemu-system-i386 -kernel demo.bin -debugcon stdio -device isa-debug-exit,iobase=0xf4,iosize=4 -display none
;
; Build: nasm -f bin -o demo.bin demo.asm

        bits 32
        org 0x100000

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 0x00010002          ; bit 1: memory information, bit 16: address fields
DEBUG_PORT      equ 0xE9
EXIT_PORT       equ 0xF4

SIEVE_LIMIT     equ 1000000
SIEVE_PHYS      equ 0x400000            ; the sieve lives in the second 4 MiB of RAM...
SIEVE_VIRT      equ 0xC0000000          ; ...and is used through this alias (one 4 MiB page)
COLLATZ_LIMIT   equ 100000

PTE_P           equ 1
PTE_RW          equ 2
PDE_PS          equ 0x80                ; 4 MiB page (CR4.PSE)
CR0_PG          equ 0x80000000
CR4_PSE         equ 0x10

start:
        jmp     entry

        align 4
multiboot_header:
        dd      MB_MAGIC
        dd      MB_FLAGS
        dd      -(MB_MAGIC + MB_FLAGS)
        dd      multiboot_header        ; header_addr
        dd      start                   ; load_addr
        dd      image_end               ; load_end_addr
        dd      bss_end                 ; bss_end_addr
        dd      entry                   ; entry_addr

entry:
        cmp     eax, 0x2BADB002
        jne     fail
        mov     esp, stack_top
        mov     [boot_info], ebx

        ; The loader's GDT may be anywhere: load our own and reload every segment register.
        lgdt    [gdt_pointer]
        jmp     0x08:.reloaded
.reloaded:
        mov     ax, 0x10
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax

        mov     esi, msg_hello
        call    print

        ; Multiboot information: mem_upper is valid when flags bit 0 is set.
        mov     ebx, [boot_info]
        test    dword [ebx], 1
        jz      .no_meminfo
        mov     esi, msg_mem1
        call    print
        mov     eax, [ebx + 8]          ; KiB, rounded up to MiB: firmware may keep a little
        add     eax, 1023
        shr     eax, 10
        call    print_dec
        mov     esi, msg_mem2
        call    print
.no_meminfo:

        call    enable_paging
        call    sieve
        call    crc32_sieve
        call    collatz

        mov     esi, msg_done
        call    print
        mov     al, 0                   ; exit status (0 << 1) | 1 = 1: success
        out     EXIT_PORT, al
        cli
.halt:  hlt
        jmp     .halt

fail:
        mov     esi, msg_fail
        call    print
        mov     al, 1
        out     EXIT_PORT, al
        cli
        hlt

; ---------------------------------------------------------------------------------------------
; Paging: identity-map the first 4 MiB with 4 KiB pages and the next 4 MiB with one 4 MiB
; page, and alias SIEVE_VIRT to that same 4 MiB page.
enable_paging:
        mov     edi, page_directory
        xor     eax, eax
        mov     ecx, 1024
        rep stosd

        mov     edi, page_table
        mov     eax, PTE_P | PTE_RW
        mov     ecx, 1024
.fill:  stosd
        add     eax, 0x1000
        loop    .fill

        mov     dword [page_directory], page_table + PTE_P + PTE_RW
        mov     dword [page_directory + 4], SIEVE_PHYS | PDE_PS | PTE_P | PTE_RW
        mov     dword [page_directory + (SIEVE_VIRT >> 22) * 4], SIEVE_PHYS | PDE_PS | PTE_P | PTE_RW

        mov     eax, cr4
        or      eax, CR4_PSE
        mov     cr4, eax
        mov     eax, page_directory
        mov     cr3, eax
        mov     eax, cr0
        or      eax, CR0_PG
        mov     cr0, eax
        jmp     .paged                  ; serialise, as the SDM asks after setting PG
.paged:
        ; Prove the alias: write through it, read back through the identity mapping.
        mov     dword [SIEVE_VIRT + 0x1234], 0x600DF00D
        cmp     dword [SIEVE_PHYS + 0x1234], 0x600DF00D
        jne     fail
        mov     esi, msg_paging
        call    print
        ret

; ---------------------------------------------------------------------------------------------
; Sieve of Eratosthenes through the alias: byte i is 1 when i is prime.
sieve:
        mov     edi, SIEVE_VIRT
        mov     eax, 0x01010101
        mov     ecx, SIEVE_LIMIT / 4
        rep stosd
        mov     byte [SIEVE_VIRT], 0
        mov     byte [SIEVE_VIRT + 1], 0

        mov     ebx, 2
.outer: mov     eax, ebx
        mul     ebx
        cmp     eax, SIEVE_LIMIT
        jae     .count
        cmp     byte [SIEVE_VIRT + ebx], 0
        je      .next
.mark:  mov     byte [SIEVE_VIRT + eax], 0
        add     eax, ebx
        cmp     eax, SIEVE_LIMIT
        jb      .mark
.next:  inc     ebx
        jmp     .outer

.count: xor     ecx, ecx                ; number of primes
        xor     esi, esi                ; sum, low dword
        xor     edi, edi                ; sum, high dword
        xor     edx, edx                ; largest
        xor     ebx, ebx
.scan:  cmp     byte [SIEVE_VIRT + ebx], 0
        je      .not
        inc     ecx
        add     esi, ebx
        adc     edi, 0
        mov     edx, ebx
.not:   inc     ebx
        cmp     ebx, SIEVE_LIMIT
        jb      .scan

        mov     [prime_count], ecx
        mov     [prime_sum], esi
        mov     [prime_sum + 4], edi
        mov     [prime_largest], edx
        mov     esi, msg_sieve1
        call    print
        mov     eax, [prime_count]
        call    print_dec
        mov     esi, msg_sieve2
        call    print
        mov     eax, [prime_largest]
        call    print_dec
        mov     esi, msg_sieve3
        call    print
        mov     eax, [prime_sum]
        mov     edx, [prime_sum + 4]
        call    print_dec64
        mov     esi, msg_newline
        call    print
        ret

; ---------------------------------------------------------------------------------------------
; CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) of the sieve bytes, a bit at a time.
crc32_sieve:
        mov     esi, SIEVE_VIRT
        mov     ecx, SIEVE_LIMIT
        mov     eax, 0xFFFFFFFF
.byte:  movzx   edx, byte [esi]
        inc     esi
        xor     eax, edx
        mov     edx, 8
.bit:   shr     eax, 1
        jnc     .nox
        xor     eax, 0xEDB88320
.nox:   dec     edx
        jnz     .bit
        dec     ecx
        jnz     .byte
        not     eax
        push    eax
        mov     esi, msg_crc
        call    print
        pop     eax
        call    print_hex
        mov     esi, msg_newline
        call    print
        ret

; ---------------------------------------------------------------------------------------------
; The start below COLLATZ_LIMIT with the longest Collatz chain, and its number of steps.
collatz:
        xor     ebp, ebp                ; best start
        xor     edi, edi                ; best steps
        mov     ebx, 1
.start: mov     eax, ebx
        xor     ecx, ecx
.step:  cmp     eax, 1
        je      .end
        inc     ecx
        test    al, 1
        jnz     .odd
        shr     eax, 1
        jmp     .step
.odd:   lea     eax, [eax + eax * 2 + 1]
        jmp     .step
.end:   cmp     ecx, edi
        jbe     .nobest
        mov     edi, ecx
        mov     ebp, ebx
.nobest:
        inc     ebx
        cmp     ebx, COLLATZ_LIMIT
        jb      .start

        mov     esi, msg_collatz1
        call    print
        mov     eax, ebp
        call    print_dec
        mov     esi, msg_collatz2
        call    print
        mov     eax, edi
        call    print_dec
        mov     esi, msg_collatz3
        call    print
        ret

; ---------------------------------------------------------------------------------------------
; Output helpers. print: the NUL-terminated string at ESI.
print:
        push    eax
.next:  lodsb
        test    al, al
        jz      .done
        out     DEBUG_PORT, al
        jmp     .next
.done:  pop     eax
        ret

; print_dec: EAX in decimal.
print_dec:
        xor     edx, edx
        ; fall through
; print_dec64: EDX:EAX in decimal, by long division of the two halves.
print_dec64:
        push    ebx
        push    ecx
        push    esi
        push    edi
        mov     edi, number_end
        mov     ebx, 10
.digit: mov     esi, eax                ; low half
        mov     eax, edx
        xor     edx, edx
        div     ebx                     ; high half / 10
        mov     ecx, eax                ; new high half
        mov     eax, esi
        div     ebx                     ; (remainder:low) / 10
        add     dl, '0'
        dec     edi
        mov     [edi], dl
        mov     edx, ecx
        mov     esi, eax
        or      esi, edx
        jnz     .digit
        mov     esi, edi
        call    print
        pop     edi
        pop     esi
        pop     ecx
        pop     ebx
        ret

; print_hex: EAX as 0x followed by eight hex digits.
print_hex:
        push    ecx
        push    edx
        mov     edx, eax
        mov     al, '0'
        out     DEBUG_PORT, al
        mov     al, 'x'
        out     DEBUG_PORT, al
        mov     ecx, 8
.nib:   rol     edx, 4
        mov     eax, edx
        and     eax, 0xF
        mov     al, [hex_digits + eax]
        out     DEBUG_PORT, al
        loop    .nib
        pop     edx
        pop     ecx
        ret

; ---------------------------------------------------------------------------------------------
        align 8
gdt:
        dq      0
        dq      0x00CF9A000000FFFF      ; 0x08: code, flat 4 GiB, 32-bit, execute/read
        dq      0x00CF92000000FFFF      ; 0x10: data, flat 4 GiB, read/write
gdt_end:
gdt_pointer:
        dw      gdt_end - gdt - 1
        dd      gdt

hex_digits:     db "0123456789abcdef"
msg_hello:      db "kasou demo guest: protected mode, flat segments", 10, 0
msg_mem1:       db "multiboot: ", 0
msg_mem2:       db " MiB of memory above 1 MiB", 10, 0
msg_paging:     db "paging: on (4 KiB and 4 MiB pages, 0xc0000000 aliases 0x00400000)", 10, 0
msg_sieve1:     db "sieve: ", 0
msg_sieve2:     db " primes below 1000000, largest ", 0
msg_sieve3:     db ", sum ", 0
msg_crc:        db "crc32 of the sieve: ", 0
msg_collatz1:   db "collatz: longest chain below 100000 starts at ", 0
msg_collatz2:   db " (", 0
msg_collatz3:   db " steps)", 10, 0
msg_done:       db "done", 10, 0
msg_fail:       db "FAILED", 10, 0
msg_newline:    db 10, 0

        align 4
image_end:

; ---------------------------------------------------------------------------------------------
        absolute image_end
boot_info:      resd 1
prime_count:    resd 1
prime_largest:  resd 1
prime_sum:      resd 2
number_buf:     resb 24
number_end:     resb 4                  ; the NUL after the digits (bss is zeroed)
        alignb 4096
page_directory: resb 4096
page_table:     resb 4096
stack:          resb 16384
stack_top:
bss_end:
